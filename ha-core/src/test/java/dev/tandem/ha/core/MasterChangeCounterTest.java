package dev.tandem.ha.core;

import static dev.tandem.ha.api.ManagementNodeState.HOT_STANDBY;
import static dev.tandem.ha.api.ManagementNodeState.INITIALIZING;
import static dev.tandem.ha.api.ManagementNodeState.MASTER;
import static dev.tandem.ha.api.ManagementNodeState.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;

class MasterChangeCounterTest {

    private final MasterChangeCounter counter = new MasterChangeCounter();
    private long time;

    private StateTransition t(ManagementNodeState from, ManagementNodeState to) {
        return new StateTransition(++time, from, to, 1, "test");
    }

    @Test
    void countsEachTransitionIntoAndOutOfMasterOnce() {
        List<StateTransition> history = new ArrayList<>(List.of(t(INITIALIZING, MASTER)));
        assertThat(counter.observe(history)).containsExactly(1, 0);
        assertThat(counter.observe(history)).as("seen already").containsExactly(1, 0);

        history.add(t(MASTER, HOT_STANDBY));
        history.add(t(HOT_STANDBY, MASTER));
        assertThat(counter.observe(List.copyOf(history))).containsExactly(2, 1);
    }

    @Test
    void aBoundedHistoryThatDropsItsOldestEntriesIsStillCountedOnce() {
        List<StateTransition> history = new ArrayList<>(List.of(t(INITIALIZING, MASTER), t(MASTER, HOT_STANDBY)));
        counter.observe(history);
        history.remove(0);
        history.add(t(HOT_STANDBY, MASTER));

        assertThat(counter.observe(history)).containsExactly(2, 1);
    }

    @Test
    void aNewIncarnationsHistoryAddsToTheCountsWhichNeverGoBack() {
        counter.observe(List.of(t(INITIALIZING, MASTER), t(MASTER, TERMINATED)));
        assertThat(counter.observe(List.of())).as("between incarnations").containsExactly(1, 1);

        assertThat(counter.observe(List.of(t(INITIALIZING, HOT_STANDBY), t(HOT_STANDBY, MASTER))))
                .containsExactly(2, 1);
    }
}
