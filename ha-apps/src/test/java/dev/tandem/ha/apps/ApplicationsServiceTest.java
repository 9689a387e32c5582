package dev.tandem.ha.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.TaskView;
import dev.tandem.ha.apps.blueprint.BlueprintParser;

/**
 * The {@code ManagedApplications} service that other bundles and the shell use, on a real master and hot standby: the
 * listings, an invocation, and errors that name the bad value and what exists.
 */
class ApplicationsServiceTest {
    static final String BLUEPRINT = String.join("\n",
            "name: greetings",
            "services:",
            "- type: " + GreeterType.TYPE,
            "  name: greeter",
            "  brooklyn.children:",
            "  - type: org.apache.brooklyn.entity.stock.BasicEntity",
            "    name: leaf",
            "");

    @TempDir
    Path dir;

    @Test
    void listsApplicationsAndEntitiesAndInvokesEffectors() throws Exception {
        try (AppsNode master = new AppsNode(dir, "MASTER", PersistMode.AUTO).awaitWriter()) {
            master.apps.types().add(new GreeterType());
            ApplicationsService service = new ApplicationsService(master.apps, master.runtime);
            assertThatThrownBy(() -> service.entities("greetings")).isInstanceOf(NoSuchElementException.class)
                    .hasMessage("No application 'greetings'; there are no applications");

            String appId = master.apps.deploy(BlueprintParser.parse(BLUEPRINT)).entityId();
            assertThat(service.applications()).extracting(EntityView::name).containsExactly("greetings");
            List<EntityView> entities = service.entities("greetings");
            assertThat(entities).extracting(EntityView::name).containsExactly("greetings", "greeter", "leaf");
            assertThat(service.entities(appId)).isEqualTo(entities);
            EntityView greeter = entities.get(1);
            assertThat(service.effectors(greeter.id())).extracting(EffectorDefinition::name).containsExactly("greet");
            assertThat(service.effectors(entities.get(2).id())).as("BasicEntity has none").isEmpty();

            TaskView done = service.invoke(greeter.id(), "greet", Map.of("who", "you", "times", "2"), Duration.ofSeconds(30));
            assertThat(done.done()).isTrue();
            assertThat(done.error()).isFalse();
            assertThat(done.status()).isEqualTo("Completed");
            assertThat(done.result()).isEqualTo("hello you hello you");
            assertThat(service.entity(greeter.id()).orElseThrow().sensors()).containsEntry("greeted", "you");

            assertThatThrownBy(() -> service.entities("nope")).isInstanceOf(NoSuchElementException.class)
                    .hasMessage("No application 'nope'; applications: greetings (" + appId + ")");
            assertThatThrownBy(() -> service.invoke(greeter.id(), "wave", Map.of(), Duration.ZERO))
                    .isInstanceOf(NoSuchElementException.class).hasMessageContaining("Effector 'wave' not found")
                    .hasMessageContaining("available: [greet]");
            assertThatThrownBy(() -> service.invoke(greeter.id(), "greet", Map.of("who", "x", "times", "many"),
                    Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 'times': 'many' is not a java.lang.Integer");
            assertThatThrownBy(() -> service.invoke(greeter.id(), "greet", Map.of("whom", "x"), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Effector 'greet' has no parameter 'whom'; parameters: [who, times]");
            assertThatThrownBy(() -> service.invoke(greeter.id(), "greet", Map.of(), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Effector 'greet' needs parameter 'who'");
            assertThatThrownBy(() -> service.effectors("no-such-id")).isInstanceOf(NoSuchElementException.class)
                    .hasMessage("No entity with id 'no-such-id'");
        }
    }

    @Test
    void aHotStandbyListsFromItsCopyButDoesNotInvokeAndAStandbyKeepsNoCopy() throws Exception {
        try (AppsNode master = new AppsNode(dir, "MASTER", PersistMode.AUTO).awaitWriter();
                AppsNode hot = new AppsNode(dir, "HOT_STANDBY", PersistMode.AUTO);
                AppsNode cold = new AppsNode(dir, "STANDBY", PersistMode.AUTO)) {
            String appId = master.apps.deploy(BlueprintParser.parse(BLUEPRINT_STARTABLE)).entityId();
            ApplicationsService onHot = new ApplicationsService(hot.apps, hot.runtime);
            await().atMost(Duration.ofSeconds(20)).until(() -> onHot.readable() && !onHot.applications().isEmpty());
            assertThat(onHot.entities(appId)).extracting(EntityView::name).containsExactly("one", "web");
            assertThat(hot.runtime.lag().hotCopyLagMillis()).as("a hot copy has a lag").isPresent();
            assertThat(master.runtime.lag().hotCopyLagMillis()).as("the acting master keeps no copy").isEmpty();

            assertThatThrownBy(() -> onHot.invoke(appId, "stop", Map.of(), Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("This request is only permitted against an active primary Brooklyn server")
                    .hasMessageContaining("HOT_STANDBY");

            ApplicationsService onCold = new ApplicationsService(cold.apps, cold.runtime);
            await().atMost(Duration.ofSeconds(20)).until(() -> cold.ha.getState().name().equals("STANDBY"));
            assertThat(onCold.readable()).isFalse();
            assertThatThrownBy(onCold::applications).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("this node is STANDBY");
            assertThat(cold.runtime.lag().hotCopyLagMillis()).isEmpty();
        }
    }

    static final String BLUEPRINT_STARTABLE = String.join("\n",
            "name: one",
            "services:",
            "- type: org.apache.brooklyn.entity.stock.BasicStartable",
            "  name: web",
            "");
}
