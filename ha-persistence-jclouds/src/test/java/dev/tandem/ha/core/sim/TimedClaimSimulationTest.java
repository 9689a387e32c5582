package dev.tandem.ha.core.sim;

import org.junit.jupiter.api.Test;

/**
 * The plane simulation with the timed claim instead of atomic creates: every fault of the simulation (lost
 * answers, late writes, pauses, stopped clocks, crashes mid-claim, different timeouts), with the claim
 * module's own code. {@code -Dtandem.sim.timed.seeds=N}, {@code -Dtandem.sim.timed.firstSeed=S},
 * {@code -Dtandem.sim.timed.seed=S} as for ha-core's PlaneSimulationTest.
 */
class TimedClaimSimulationTest {

    @Test
    void everySeedKeepsOneMasterAndConvergesWithTimedClaims() throws Exception {
        PlaneSimulationTest.runFromProperties(".timed", 500, () -> {
            PlaneSimulation.Options o = new PlaneSimulation.Options();
            o.timedClaims = new TimedClaimOnSimulatedStore();
            return o;
        });
    }
}
