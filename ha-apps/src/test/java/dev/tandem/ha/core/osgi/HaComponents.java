package dev.tandem.ha.core.osgi;

/** Test access to the HA component's deactivation (package-private: SCR calls it). */
public final class HaComponents {
    private HaComponents() {}

    public static void stop(HighAvailabilityComponent c) {
        c.deactivate();
    }
}
