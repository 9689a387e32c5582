package dev.tandem.ha.boot;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.tandem.ha.api.ManagementNodeState;

/**
 * Waits for the node's first decision: any state but INITIALIZING (MASTER, a standby state, FAILED, TERMINATED), or
 * another reason to stop waiting (the framework is stopping). The first reason given is kept.
 */
final class FirstState {
    private final CountDownLatch decided = new CountDownLatch(1);
    private final AtomicReference<String> reason = new AtomicReference<>();

    /** A state the node reported (null, or a name that is not a state, is ignored). */
    void offer(Object state) {
        ManagementNodeState s = state instanceof ManagementNodeState m ? m : parse(state);
        if (s != null && s != ManagementNodeState.INITIALIZING) {
            release("the node is " + s);
        }
    }

    /** Stops the wait for another reason. */
    void release(String why) {
        reason.compareAndSet(null, why);
        decided.countDown();
    }

    /** Why the wait ended, or empty if {@code timeout} passed first. */
    Optional<String> await(Duration timeout) throws InterruptedException {
        return decided.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(reason.get()) : Optional.empty();
    }

    private static ManagementNodeState parse(Object state) {
        if (state == null) {
            return null;
        }
        try {
            return ManagementNodeState.valueOf(state.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
