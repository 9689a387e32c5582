package dev.tandem.ha.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.HaMetrics;
import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;

/** The commands' own logic with a recording HA service; Karaf's session is exercised in itests. */
class CommandsTest {

    private final List<String> calls = new ArrayList<>();
    private ManagementNodeState state = ManagementNodeState.MASTER;
    private final HighAvailabilityService ha = (HighAvailabilityService) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {HighAvailabilityService.class}, (proxy, method, args) -> {
                calls.add(method.getName() + (args == null ? "" : List.of(args)));
                return switch (method.getName()) {
                    case "getState" -> state;
                    case "getFailureReason" -> null;
                    case "getPriority", "setPriority" -> 4;
                    case "changeMode", "stepDown" -> ManagementNodeState.MASTER;
                    case "getMetrics" -> new HaMetrics("a", state, 1, 1, 1000, 30_000, 20_000, "folder", "ATOMIC",
                            Map.of(), List.of());
                    case "getPlane" -> plane();
                    default -> null;
                };
            });
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void captureOutput() {
        stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(stdout);
    }

    private static PlaneView plane() {
        Map<String, NodeRecord> nodes = new LinkedHashMap<>();
        nodes.put("a", new NodeRecord("a", "http://127.0.0.1:8081", ManagementNodeState.MASTER, 4, "0.1", 1, 2, 10, 1_700_000_000_000L));
        nodes.put("b", new NodeRecord("b", null, ManagementNodeState.HOT_STANDBY, 0, "0.1", 1, 2, 10, 1_700_000_000_000L));
        return new PlaneView("p", "a", "a", 1, nodes);
    }

    @Test
    void statesPrintsATable() {
        StatesCommand c = new StatesCommand();
        c.ha = ha;
        c.execute();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Plane p, master a").contains("a *")
                .contains("HOT_STANDBY").contains("http://127.0.0.1:8081").contains("2023-11-14T22:13:20Z");
    }

    @Test
    void aBadModeFailsWithTheMessageRestGives() {
        ModeCommand c = new ModeCommand();
        c.ha = ha;
        c.mode = "bogus";
        assertThatThrownBy(c::execute).isInstanceOf(InvalidValueException.class).hasMessage(
                "mode='bogus' is not valid; accepted: DISABLED, AUTO, MASTER, STANDBY, HOT_STANDBY, HOT_BACKUP (any case)");
        c.mode = "hot_standby";
        c.execute();
        assertThat(calls).contains("changeMode[" + HighAvailabilityMode.HOT_STANDBY + "]");
    }

    @Test
    void priorityShowsOrSetsAndRefusesANonInteger() {
        PriorityCommand c = new PriorityCommand();
        c.ha = ha;
        c.execute();
        c.priority = "7";
        c.execute();
        assertThat(calls).contains("setPriority[7]");
        c.priority = "1.5";
        assertThatThrownBy(c::execute).isInstanceOf(InvalidValueException.class)
                .hasMessage("priority='1.5' is not valid; accepted: an integer from -2147483648 to 2147483647");
    }

    @Test
    void stepDownHoldsForTheHeartbeatTimeoutOrTheGivenTime() {
        StepDownCommand c = new StepDownCommand();
        c.ha = ha;
        c.execute();
        c.hold = "1m 30s";
        c.execute();
        assertThat(calls).contains("stepDown[30000]", "stepDown[90000]");
        c.hold = "soon";
        assertThatThrownBy(c::execute).isInstanceOf(InvalidValueException.class)
                .hasMessage("hold='soon' is not valid; accepted: a duration from 0 to 1d such as 500ms, 30s, 2m or 1h");
        c.hold = null;
        state = ManagementNodeState.HOT_STANDBY;
        assertThatThrownBy(c::execute).isInstanceOf(IllegalStateException.class)
                .hasMessage("Only the master can step down: this node is HOT_STANDBY");
    }

    @Test
    void clearAllOrOne() {
        ClearCommand c = new ClearCommand();
        c.ha = ha;
        c.execute();
        c.node = " b ";
        c.execute();
        assertThat(calls).contains("clearRecords", "clearRecord[b]");
    }
}
