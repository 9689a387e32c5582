package dev.tandem.itests;

import java.io.IOException;
import java.util.List;

/**
 * A further invariant for {@link ManagedStateChaosIT}, checked over the same run of faults (e.g. that a master-only
 * component's fenced writes were accepted from exactly one node at any time). The test calls every check at these
 * points; a check fails the test by throwing an {@link AssertionError} from {@link #verify}.
 */
interface ChaosCheck {

    /** After a node is unpacked, before its first bin/start: e.g. add a feature to its etc/ files. */
    default void prepare(KarafNode node) throws IOException {
    }

    /** Once the plane of three is up and the application is deployed, before the first fault. */
    default void planeUp(List<KarafNode> nodes, String appId) {
    }

    /** After each round of faults, once all nodes run again. */
    default void afterRound(int round, List<KarafNode> nodes) {
    }

    /** At the end, after the sensor writers have stopped and the plane is steady. */
    void verify(List<KarafNode> nodes);
}
