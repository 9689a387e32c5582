package dev.tandem.ha.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.apps.blueprint.BlueprintParser;

/** The service other bundles use: writable() says when a read-then-write may start; a hot standby refuses writes. */
class ManagedApplicationsServiceTest {
    @TempDir
    Path dir;

    @Test
    void writableOnlyOnTheMasterThatHasTakenTheStateOver() throws Exception {
        try (AppsNode master = new AppsNode(dir, "MASTER", PersistMode.AUTO)) {
            ApplicationsService onMaster = new ApplicationsService(master.apps, master.runtime);
            await().atMost(Duration.ofSeconds(20)).until(onMaster::writable);
            assertThat(master.runtime.writer()).isNotNull();
            master.apps.deploy(BlueprintParser.parse(
                    "services:\n- type: org.apache.brooklyn.entity.stock.BasicEntity\n  name: e\n"));
            List<EntityView> entities = onMaster.entitiesOfType("org.apache.brooklyn.entity.stock.BasicEntity");
            assertThat(entities).hasSize(1);
            onMaster.setSensor(entities.get(0).id(), "count", 1);

            try (AppsNode standby = new AppsNode(dir, "HOT_STANDBY", PersistMode.AUTO)) {
                ApplicationsService onStandby = new ApplicationsService(standby.apps, standby.runtime);
                await().atMost(Duration.ofSeconds(10)).until(() -> onStandby.entitiesOfType(
                        "org.apache.brooklyn.entity.stock.BasicEntity").stream()
                        .anyMatch(e -> Map.of("count", 1).equals(e.sensors())));
                assertThat(onStandby.writable()).isFalse();
                assertThatThrownBy(() -> onStandby.setSensor(entities.get(0).id(), "count", 2))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("active primary");
            }
        }
    }
}
