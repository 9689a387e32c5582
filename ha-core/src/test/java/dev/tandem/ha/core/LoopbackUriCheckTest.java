package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;

class LoopbackUriCheckTest {

    @Test
    void warnsOnceWhenOnlyThisNodeIsOnLoopback() {
        List<String> warnings = new ArrayList<>();
        LoopbackUriCheck check = new LoopbackUriCheck(warnings::add);
        PlaneView mixed = view("a", Map.of("a", "http://127.0.0.1:8081", "b", "http://10.0.0.7:8081"));

        assertThat(check.check(mixed)).isPresent();
        assertThat(check.check(mixed)).isPresent();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("http://127.0.0.1:8081").contains("b publishes http://10.0.0.7:8081")
                .contains("tandem.ha.nodeUri").contains("org.ops4j.pax.web.listening.addresses");
    }

    @Test
    void silentWhenEveryNodeIsOnLoopbackOrThisOneIsNot() {
        List<String> warnings = new ArrayList<>();
        LoopbackUriCheck check = new LoopbackUriCheck(warnings::add);
        assertThat(check.check(view("a", Map.of("a", "http://127.0.0.1:8081", "b", "http://127.0.0.1:8082")))).isEmpty();
        assertThat(check.check(view("a", Map.of("a", "https://127.0.0.2:8443", "b", "https://127.0.0.3:8443")))).isEmpty();
        assertThat(check.check(view("a", Map.of("a", "http://10.0.0.6:8081", "b", "http://127.0.0.1:8081")))).isEmpty();
        assertThat(check.check(view("a", Map.of("a", "http://127.0.0.1:8081")))).isEmpty();
        assertThat(check.check(view("a", Map.of("a", "http://localhost:8081", "b", "")))).isEmpty();
        assertThat(check.check(new PlaneView("p", "gone", null, 0, Map.of()))).isEmpty();
        assertThat(warnings).isEmpty();
    }

    private static PlaneView view(String own, Map<String, String> uris) {
        Map<String, NodeRecord> nodes = new LinkedHashMap<>();
        uris.forEach((id, uri) -> nodes.put(id, new NodeRecord(id, uri.isEmpty() ? null : uri,
                ManagementNodeState.HOT_STANDBY, 0, "0.1.0", 1, 1, 1_700_000_000_000L, 1_700_000_000_000L)));
        return new PlaneView("plane", own, null, 1, nodes);
    }
}
