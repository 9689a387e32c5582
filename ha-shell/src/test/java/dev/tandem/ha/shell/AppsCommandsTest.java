package dev.tandem.ha.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;
import dev.tandem.ha.api.apps.ParameterDefinition;
import dev.tandem.ha.api.apps.ParameterType;
import dev.tandem.ha.api.apps.TaskView;

/** ha:apps, ha:entities and ha:invoke against a recording ManagedApplications; Karaf's session is in itests. */
class AppsCommandsTest {

    static final EntityView APP = new EntityView("app1", "greetings", "org.apache.brooklyn.entity.stock.BasicApplication",
            "app1", null, List.of("ent1"), Map.of(), ordered("service.state", "running", "service.isUp", true));
    static final EntityView GREETER = new EntityView("ent1", "greeter", "test.Greeter", "app1", "app1", List.of("ent2"),
            Map.of(), Map.of("greeted", "you"));
    static final EntityView LEAF = new EntityView("ent2", "leaf", "org.apache.brooklyn.entity.stock.BasicEntity", "app1",
            "ent1", List.of(), Map.of(), Map.of());
    static final EffectorDefinition GREET = new EffectorDefinition("greet", "Say hello", "java.lang.String", List.of(
            new ParameterDefinition("who", ParameterType.STRING, "whom", null, true),
            new ParameterDefinition("times", ParameterType.INTEGER, "how often", 1, false)));

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private final List<String> invocations = new ArrayList<>();
    private volatile ManagementNodeState state = ManagementNodeState.MASTER;
    private volatile TaskView answer = new TaskView("task1", "Completed", true, false, "hello you");
    private volatile String noCopy;

    private final HighAvailabilityService ha = (HighAvailabilityService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {HighAvailabilityService.class}, (p, m, a) -> switch (m.getName()) {
                case "getState" -> state;
                case "isActingMaster" -> state == ManagementNodeState.MASTER;
                default -> throw new UnsupportedOperationException(m.getName());
            });

    private final ManagedApplications apps = new ManagedApplications() {
        @Override
        public boolean readable() {
            return noCopy == null;
        }

        @Override
        public boolean writable() {
            return false;
        }

        @Override
        public List<EntityView> entitiesOfType(String typeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<EntityView> entity(String entityId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setSensor(String entityId, String sensor, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<EntityView> applications() {
            if (noCopy != null) {
                throw new IllegalStateException(noCopy);
            }
            return List.of(APP);
        }

        @Override
        public List<EntityView> entities(String application) {
            if (noCopy != null) {
                throw new IllegalStateException(noCopy);
            }
            if (application.equals("greetings") || application.equals("app1")) {
                return List.of(APP, GREETER, LEAF);
            }
            throw new NoSuchElementException("No application '" + application + "'; applications: greetings (app1)");
        }

        @Override
        public List<EffectorDefinition> effectors(String entityId) {
            return entityId.equals("ent1") ? List.of(GREET) : List.of();
        }

        @Override
        public TaskView invoke(String entityId, String effector, Map<String, Object> parameters, Duration wait) {
            if (state != ManagementNodeState.MASTER) {
                throw new IllegalStateException("This request is only permitted against an active primary Brooklyn server; "
                        + "this node is " + state);
            }
            invocations.add(entityId + " " + effector + " " + parameters + " " + wait);
            return answer;
        }
    };

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

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void appsListsTheApplicationsWithTheirStateAndSaysWhereTheyComeFrom() {
        AppsCommand c = new AppsCommand();
        c.ha = ha;
        c.apps = apps;
        c.execute();
        assertThat(output()).contains("Managed applications of the master:").contains("greetings").contains("app1")
                .contains("running").contains("BasicApplication").containsPattern("\\b3\\s*\\R");

        out.reset();
        state = ManagementNodeState.HOT_STANDBY;
        c.execute();
        assertThat(output()).startsWith("Read-only copy on this HOT_STANDBY node (changes are made on the master):");
    }

    @Test
    void onAStandbyTheCommandsSayThatThisNodeKeepsNoCopy() {
        state = ManagementNodeState.STANDBY;
        noCopy = "This request is only permitted against an active primary or hot standby/backup Brooklyn server; "
                + "this node is STANDBY";
        AppsCommand c = new AppsCommand();
        c.ha = ha;
        c.apps = apps;
        assertThatThrownBy(c::execute).isInstanceOf(IllegalStateException.class).hasMessageContaining("this node is STANDBY");
        ApplicationCompleter completer = new ApplicationCompleter();
        completer.apps = apps;
        assertThat(completer.complete(null, null, new ArrayList<>())).isEqualTo(-1);
    }

    @Test
    void entitiesPrintsTheTreeWithSensors() {
        EntitiesCommand c = new EntitiesCommand();
        c.ha = ha;
        c.apps = apps;
        c.application = " greetings ";
        c.execute();
        assertThat(output()).contains("greetings (app1) org.apache.brooklyn.entity.stock.BasicApplication\n"
                + "    service.state = running\n"
                + "    service.isUp = true\n"
                + "  greeter (ent1) test.Greeter\n"
                + "      greeted = you\n"
                + "    leaf (ent2) org.apache.brooklyn.entity.stock.BasicEntity\n");

        c.application = "nope";
        assertThatThrownBy(c::execute).isInstanceOf(NoSuchElementException.class)
                .hasMessage("No application 'nope'; applications: greetings (app1)");
    }

    @Test
    void invokeConvertsParametersAndPrintsTheResult() {
        InvokeCommand c = invoke("greeter", "greet", "who=you", "times=2");
        c.execute();
        assertThat(invocations).containsExactly("ent1 greet {who=you, times=2} PT1M");
        assertThat(output()).contains("Completed: greet on greeter returned hello you");

        c = invoke("ent1", "greet", "who=a=b");
        c.timeout = "5s";
        answer = new TaskView("task2", "In progress", false, false, null);
        c.execute();
        assertThat(invocations).last().isEqualTo("ent1 greet {who=a=b} PT5S");
        assertThat(output()).contains("still running after 5s as task task2 (GET /v1/activities/task2)");

        answer = new TaskView("task3", "Failed", true, true, "boom");
        assertThatThrownBy(invoke("greeter", "greet", "who=x")::execute).isInstanceOf(IllegalStateException.class)
                .hasMessage("Effector 'greet' on greeter failed: boom");
    }

    @Test
    void invokeRefusesUnknownNamesAndBadParametersNamingWhatExists() {
        assertThatThrownBy(invoke("nobody", "greet")::execute).isInstanceOf(NoSuchElementException.class)
                .hasMessage("No entity 'nobody' in application 'greetings'; entities: greetings (app1), greeter (ent1), leaf (ent2)");
        assertThatThrownBy(invoke("greeter", "wave")::execute).isInstanceOf(NoSuchElementException.class)
                .hasMessage("Entity 'greeter' (test.Greeter) has no effector 'wave'; effectors: greet");
        assertThatThrownBy(invoke("leaf", "start")::execute).isInstanceOf(NoSuchElementException.class)
                .hasMessage("Entity 'leaf' (org.apache.brooklyn.entity.stock.BasicEntity) has no effector 'start'; effectors: none");
        assertThatThrownBy(invoke("greeter", "greet", "whom=x")::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Effector 'greet' has no parameter 'whom'; parameters: who (java.lang.String, required), "
                        + "times (java.lang.Integer, default 1)");
        assertThatThrownBy(invoke("greeter", "greet", "who")::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Parameter 'who' is not name=value; parameters of greet: who (");
        assertThatThrownBy(invoke("greeter", "greet", "times=many")::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'times': 'many' is not a java.lang.Integer");
        assertThatThrownBy(invoke("greeter", "greet", "who=a", "who=b")::execute)
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Parameter 'who' is given twice");
        InvokeCommand badTimeout = invoke("greeter", "greet", "who=a");
        badTimeout.timeout = "soon";
        assertThatThrownBy(badTimeout::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("timeout='soon' is not valid; accepted: a duration");
        assertThat(invocations).as("nothing was invoked").isEmpty();

        state = ManagementNodeState.HOT_STANDBY;
        assertThatThrownBy(invoke("greeter", "greet", "who=a")::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("active primary").hasMessageContaining("HOT_STANDBY");
    }

    private InvokeCommand invoke(String entity, String effector, String... parameters) {
        InvokeCommand c = new InvokeCommand();
        c.apps = apps;
        c.application = "greetings";
        c.entity = entity;
        c.effector = effector;
        c.parameters = List.of(parameters);
        return c;
    }
}
