package dev.tandem.ha.rest;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server that records the shutdowns asked of it instead of stopping anything. */
final class FakeServerEnvironment implements ServerEnvironment {

    static final VersionSummary VERSION = new VersionSummary("0.1.0-TEST", "0123456789abcdef", "main",
            List.of(new VersionSummary.Feature("Tandem :: HA REST", "dev.tandem.ha.rest", "0.1.0.TEST", "1700000000000")));

    volatile boolean osgiUp = true;
    volatile OptionalLong hotCopyLag = OptionalLong.empty();
    final List<Duration> shutdowns = new CopyOnWriteArrayList<>();

    @Override
    public VersionSummary version() {
        return VERSION;
    }

    @Override
    public boolean osgiUp() {
        return osgiUp;
    }

    @Override
    public boolean shuttingDown() {
        return !shutdowns.isEmpty();
    }

    @Override
    public void shutdown(Duration delay) {
        shutdowns.add(delay);
    }

    @Override
    public OptionalLong hotCopyLagMillis() {
        return hotCopyLag;
    }

    void reset() {
        osgiUp = true;
        hotCopyLag = OptionalLong.empty();
        shutdowns.clear();
    }
}
