package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;

class ElectionTest {
    private static final long T = 10_000;

    private static Peer peer(String id, int priority, long storedAt) {
        return new Peer(new NodeRecord(id, null, ManagementNodeState.HOT_STANDBY, priority, "1.0.0", 1, 7, storedAt,
                storedAt), T, 0, false);
    }

    @Test
    void aDeadNodeIsStaleOnceTheStoresClockHasMovedOnByTheTimeoutIncludingTheAgeOfTheElectorsOwnRecord() {
        // a dead node of higher priority was last written at 50 s; the elector wrote its own record at 58 s (it writes
        // every T/3) and began that write 3 s ago by its own clock: the store's "now" is about 61 s
        Peer dead = peer("dead", 2, 50_000);
        Peer self = peer("self", 0, 58_000);
        List<Peer> records = List.of(dead, self);
        Optional<NodeRecord> withAge = Election.winner(records, self.record(), false, "gone", T, 3_000);
        Optional<NodeRecord> withoutAge = Election.winner(records, self.record(), false, "gone", T, 0);
        assertThat(withAge.map(NodeRecord::nodeId)).contains("self");
        assertThat(withoutAge.map(NodeRecord::nodeId)).contains("dead"); // 8 s by the stamps alone: still fresh
    }

    @Test
    void aLiveNodeOfHigherPriorityStaysTheWinner() {
        Peer live = peer("live", 2, 59_500);
        Peer self = peer("self", 0, 58_000);
        assertThat(Election.winner(List.of(live, self), self.record(), false, "gone", T, 3_000)
                .map(NodeRecord::nodeId)).contains("live");
    }
}
