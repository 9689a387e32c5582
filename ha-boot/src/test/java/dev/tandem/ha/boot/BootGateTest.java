package dev.tandem.ha.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;

class BootGateTest {

    @Test
    void holdsOnlyWhileTheFrameworkRisesThroughItsLevel() {
        assertThat(BootGate.holds(90, 91, Duration.ofSeconds(10))).isTrue();
        assertThat(BootGate.holds(91, 91, Duration.ofSeconds(10))).isTrue();
        // feature:install or bundle:restart in a running framework: never holds the caller
        assertThat(BootGate.holds(100, 91, Duration.ofSeconds(10))).isFalse();
        assertThat(BootGate.holds(90, 91, Duration.ZERO)).isFalse();
    }

    @Test
    void timeoutIsADurationUpToFiveMinutesAndABadValueFallsBackToTheDefault() {
        assertThat(BootGate.timeout(null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(BootGate.timeout(" ")).isEqualTo(Duration.ofSeconds(10));
        assertThat(BootGate.timeout("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(BootGate.timeout("0")).isEqualTo(Duration.ZERO);
        assertThat(BootGate.timeout("forever")).isEqualTo(Duration.ofSeconds(10));
        assertThat(BootGate.timeout("10m")).isEqualTo(Duration.ofSeconds(10));
        assertThat(BootGate.timeout("-1s")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void initializingIsNotADecision() throws Exception {
        FirstState first = new FirstState();
        first.offer(ManagementNodeState.INITIALIZING);
        first.offer("INITIALIZING");
        first.offer(null);
        first.offer("NOT_A_STATE");
        assertThat(first.await(Duration.ofMillis(20))).isEmpty();
    }

    @Test
    void anyOtherStateEndsTheWaitAndTheFirstReasonIsKept() throws Exception {
        FirstState first = new FirstState();
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return first.await(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        first.offer("HOT_STANDBY"); // as EventAdmin delivers it: the state's name
        first.offer(ManagementNodeState.MASTER);
        first.release("the framework is stopping");
        assertThat(waiting.get()).isEqualTo(java.util.Optional.of("the node is HOT_STANDBY"));
    }

    @Test
    void failedIsADecisionToo() throws Exception {
        FirstState first = new FirstState();
        first.offer(ManagementNodeState.FAILED);
        assertThat(first.await(Duration.ZERO)).contains("the node is FAILED");
    }

    @Test
    void theFrameworkStoppingEndsTheWait() throws Exception {
        FirstState first = new FirstState();
        first.release("the framework is stopping");
        assertThat(first.await(Duration.ZERO)).contains("the framework is stopping");
    }
}
