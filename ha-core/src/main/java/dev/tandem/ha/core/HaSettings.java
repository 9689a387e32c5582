package dev.tandem.ha.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.PersistMode;

/**
 * One node's validated configuration, read from PIDs {@code org.apache.brooklyn.osgilauncher} and
 * {@code brooklyn}. Built only through {@link #from}, which reports every bad key at once.
 */
public record HaSettings(HighAvailabilityMode mode, PersistMode persistMode, String persistenceLocation,
        Path persistenceDir, String persistenceDirSpec, Map<String, String> locationProperties,
        Duration persistPeriod, Duration pollPeriod, Duration heartbeatTimeout,
        Duration removeInactiveOnStartup, Duration deadRecordRetention, int priority, String nodeUri) {

    public static final String HA_MODE = "highAvailabilityMode";
    public static final String PERSIST_MODE = "persistMode";
    public static final String PERSISTENCE_LOCATION = "persistenceLocation";
    public static final String PERSISTENCE_DIR = "persistenceDir";
    public static final String PERSIST_PERIOD = "persistPeriod";
    public static final String POLL_PERIOD = "brooklyn.ha.pollPeriod";
    public static final String HEARTBEAT_TIMEOUT = "brooklyn.ha.heartbeatTimeout";
    public static final String REMOVE_INACTIVE_ON_STARTUP = "brooklyn.ha.timeoutForInactiveNodeRemovalOnStartup";
    public static final String DEAD_RECORD_RETENTION = "tandem.ha.deadRecordRetention";
    public static final String PRIORITY = "tandem.ha.priority";
    public static final String NODE_URI = "tandem.ha.nodeUri";
    /** pax-web's port key, read (with its other keys, see {@link NodeUriResolver}) when {@link #NODE_URI} is not set. */
    public static final String HTTP_PORT = NodeUriResolver.HTTP_PORT;

    /**
     * Rate bound assumed for every monotonic clock (node) and timestamp clock (store): each measures a
     * real interval within ±1%. See docs/ha-protocol.md.
     */
    public static final double CLOCK_RATE_BOUND = 0.01;

    /** Keys of PID {@code brooklyn} that define named locations (passed to store factories). */
    public static final String LOCATION_PREFIX = "brooklyn.location.";
    /** Tandem's store tuning keys (e.g. {@code tandem.store.maxWriteLatency}): a change rebuilds the store. */
    public static final String STORE_PREFIX = "tandem.store.";

    public HaSettings {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(persistMode);
        Objects.requireNonNull(persistenceDir);
        locationProperties = Map.copyOf(locationProperties);
    }

    /** Whether the store is the embedded folder store (no {@code persistenceLocation}). */
    public boolean folderStore() {
        return persistenceLocation.isEmpty();
    }

    /**
     * How long a master stays master after the start of its last successful renewal. Chosen so that a
     * renewal the standbys have not seen cannot outlive their heartbeat timeout:
     * {@code (lease + renewalDeadline) / (1 - rho) <= timeout / (1 + rho)}.
     */
    public Duration lease() {
        double rho = CLOCK_RATE_BOUND;
        long nanos = (long) (heartbeatTimeout.toNanos() * (1 - rho) / (1 + rho)) - renewalDeadline().toNanos();
        return Duration.ofNanos(nanos);
    }

    /**
     * How often a node writes its heartbeat: a master (or a node with a pending claim) every
     * {@code max(P, T/5)}, which renews its lease several times within it; other nodes every
     * {@code max(P, T/3)}, often enough to count as fresh in elections. Writes are what a blob store
     * charges most for; release and takeover do not wait for them (state changes are written at once).
     */
    public Duration heartbeatInterval(boolean leading) {
        Duration share = heartbeatTimeout.dividedBy(leading ? 5 : 3);
        return share.compareTo(pollPeriod) > 0 ? share : pollPeriod;
    }

    /** A renewal (heartbeat write plus epoch check) counts only if it completes within this time. */
    public Duration renewalDeadline() {
        return pollPeriod;
    }

    /** How long a node that claimed mastership from a possibly-live master waits before acting. */
    public Duration fenceDelay() {
        double rho = CLOCK_RATE_BOUND;
        return Duration.ofNanos((long) (lease().toNanos() * (1 + rho) / (1 - rho)) + 1);
    }

    public boolean haEnabled() {
        return mode != HighAvailabilityMode.DISABLED;
    }

    /** Whether a change from this configuration to {@code next} needs the node to leave and rejoin the plane. */
    public boolean needsRejoin(HaSettings next) {
        return mode != next.mode || persistMode != next.persistMode
                || !Objects.equals(persistenceLocation, next.persistenceLocation)
                || !persistenceDir.equals(next.persistenceDir) || !persistenceDirSpec.equals(next.persistenceDirSpec)
                || !locationProperties.equals(next.locationProperties) || !Objects.equals(nodeUri, next.nodeUri);
    }

    /**
     * Reads and validates the merged properties of both PIDs.
     *
     * @param props    the configuration (values may be strings or numbers)
     * @param baseDir  the folder a relative or empty {@code persistenceDir} is resolved against
     * @throws InvalidSettingsException listing every bad key, its value and what is accepted
     */
    public static HaSettings from(Map<String, ?> props, Path baseDir) throws InvalidSettingsException {
        return from(props, baseDir, NodeUriResolver.SYSTEM);
    }

    /** As {@link #from(Map, Path)}, with the resolver of the default {@code nodeUri} (tests choose the host's addresses). */
    public static HaSettings from(Map<String, ?> props, Path baseDir, NodeUriResolver uris) throws InvalidSettingsException {
        List<InvalidValueException> errors = new ArrayList<>();
        HighAvailabilityMode mode = parse(errors, () -> HighAvailabilityMode.parse(HA_MODE, str(props, HA_MODE, "AUTO")),
                HighAvailabilityMode.AUTO);
        PersistMode persistMode = parse(errors, () -> PersistMode.parse(PERSIST_MODE, str(props, PERSIST_MODE, "AUTO")),
                PersistMode.AUTO);
        String location = str(props, PERSISTENCE_LOCATION, "").trim();
        String dirText = str(props, PERSISTENCE_DIR, "").trim();
        Map<String, String> locationProps = new java.util.TreeMap<>();
        props.forEach((k, v) -> {
            if ((k.startsWith(LOCATION_PREFIX) || k.startsWith(STORE_PREFIX)) && v != null) {
                locationProps.put(k, String.valueOf(v));
            }
        });
        Path dir = parse(errors, () -> {
            try {
                return dirText.isEmpty() ? baseDir.resolve("persisted-state") : baseDir.resolve(dirText).normalize();
            } catch (RuntimeException e) {
                throw new InvalidValueException(PERSISTENCE_DIR, dirText, "a folder path");
            }
        }, baseDir);
        Duration persistPeriod = duration(errors, props, PERSIST_PERIOD, "1s");
        Duration poll = duration(errors, props, POLL_PERIOD, "1s");
        Duration timeout = duration(errors, props, HEARTBEAT_TIMEOUT, "30s");
        Duration removal = duration(errors, props, REMOVE_INACTIVE_ON_STARTUP, "0");
        Duration retention = duration(errors, props, DEAD_RECORD_RETENTION, "1h");
        int priority = parse(errors, () -> {
            String p = str(props, PRIORITY, "0").trim();
            try {
                return Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new InvalidValueException(PRIORITY, p, "an integer");
            }
        }, 0);
        String nodeUri = str(props, NODE_URI, "").trim();
        if (nodeUri.isEmpty()) {
            nodeUri = uris.resolve(props);
        } else if (!nodeUri.matches("https?://\\S+")) {
            errors.add(new InvalidValueException(NODE_URI, nodeUri, "an http:// or https:// URI, or empty"));
        }

        if (poll.isZero() || poll.isNegative()) {
            errors.add(new InvalidValueException(POLL_PERIOD, str(props, POLL_PERIOD, "1s"), "a positive duration"));
        } else if (timeout.compareTo(poll.multipliedBy(2)) <= 0
                || timeout.toNanos() * (1 - CLOCK_RATE_BOUND) / (1 + CLOCK_RATE_BOUND) - 2 * poll.toNanos() <= 0) {
            errors.add(new InvalidValueException(HEARTBEAT_TIMEOUT, str(props, HEARTBEAT_TIMEOUT, "30s"),
                    "a duration more than twice " + POLL_PERIOD + " (" + Durations.format(poll) + "), so that the "
                            + "master's lease outlasts a missed heartbeat; e.g. "
                            + Durations.format(poll.multipliedBy(30))));
        }
        if (mode != HighAvailabilityMode.DISABLED && persistMode == PersistMode.DISABLED) {
            errors.add(new InvalidValueException(PERSIST_MODE, persistMode.name(),
                    "AUTO, REBIND or CLEAN while " + HA_MODE + " is " + mode + " (HA needs the store)"));
        }
        if (persistMode == PersistMode.CLEAN && (mode == HighAvailabilityMode.STANDBY
                || mode == HighAvailabilityMode.HOT_STANDBY || mode == HighAvailabilityMode.HOT_BACKUP)) {
            errors.add(new InvalidValueException(PERSIST_MODE, persistMode.name(),
                    "AUTO or REBIND while " + HA_MODE + " is " + mode + " (a standby must not wipe the master's store)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidSettingsException(errors);
        }
        return new HaSettings(mode, persistMode, location, dir, dirText, locationProps, persistPeriod, poll, timeout,
                removal, retention, priority, nodeUri);
    }

    private static Duration duration(List<InvalidValueException> errors, Map<String, ?> props, String key, String dflt) {
        return parse(errors, () -> Durations.parse(key, str(props, key, dflt)), Duration.ofSeconds(1));
    }

    private static String str(Map<String, ?> props, String key, String dflt) {
        Object v = props.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String[] arr) {
            return arr.length == 0 ? dflt : arr[0];
        }
        String s = String.valueOf(v);
        return s.isBlank() && !key.equals(PERSISTENCE_DIR) && !key.equals(PERSISTENCE_LOCATION)
                && !key.equals(NODE_URI) ? dflt : s;
    }

    private interface Parser<T> {
        T parse();
    }

    private static <T> T parse(List<InvalidValueException> errors, Parser<T> parser, T fallback) {
        try {
            return parser.parse();
        } catch (InvalidValueException e) {
            errors.add(e);
            return fallback;
        }
    }
}
