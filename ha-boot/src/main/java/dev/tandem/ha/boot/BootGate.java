package dev.tandem.ha.boot;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.InvalidValueException;

/**
 * The distribution's boot gate. Started at a start level just above Tandem's core, it holds the framework's start-level
 * thread until this node has taken its first HA state (MASTER, a standby state, FAILED), or until
 * {@value #TIMEOUT_PROPERTY} (default 10 s) has passed, or the framework stops. The bundles above it (Karaf's ssh
 * server, JMX connector and shell commands) then start after the node instead of competing with it for the CPU
 * while it boots: on a 2-core machine those bundles cost about a second and a half of CPU.
 *
 * <p>It holds only while the framework is rising through its start level (a boot); started in a running framework
 * (the framework's start level is already above its own) it does nothing. It learns the state from the HA service
 * when that is registered and from the state events on EventAdmin ({@code dev/tandem/ha/STATE_CHANGED}): no polling.
 */
public final class BootGate implements BundleActivator {
    /** Framework or system property: how long the gate waits at most; 0 turns it off. */
    public static final String TIMEOUT_PROPERTY = "tandem.boot.gate.timeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    static final String STATE_TOPIC = "dev/tandem/ha/STATE_CHANGED";
    private static final Logger LOG = LoggerFactory.getLogger(BootGate.class);

    @Override
    public void start(BundleContext context) throws Exception {
        Bundle framework = context.getBundle(0);
        int active = framework.adapt(FrameworkStartLevel.class).getStartLevel();
        int own = context.getBundle().adapt(BundleStartLevel.class).getStartLevel();
        Duration timeout = timeout(context.getProperty(TIMEOUT_PROPERTY));
        if (!holds(active, own, timeout)) {
            return;
        }
        FirstState first = new FirstState();
        SynchronousBundleListener stopping = e -> {
            if (e.getBundle().getBundleId() == 0 && e.getType() == BundleEvent.STOPPING) {
                first.release("the framework is stopping");
            }
        };
        context.addBundleListener(stopping);
        if (framework.getState() == Bundle.STOPPING) {
            first.release("the framework is stopping"); // before the listener was there
        }
        Dictionary<String, Object> topic = new Hashtable<>();
        topic.put(EventConstants.EVENT_TOPIC, STATE_TOPIC);
        ServiceRegistration<EventHandler> events = context.registerService(EventHandler.class,
                e -> first.offer(e.getProperty("state")), topic);
        ServiceTracker<HighAvailabilityService, HighAvailabilityService> service = new ServiceTracker<>(context,
                HighAvailabilityService.class, null) {
            @Override
            public HighAvailabilityService addingService(ServiceReference<HighAvailabilityService> reference) {
                HighAvailabilityService ha = super.addingService(reference);
                if (ha != null) {
                    // a state taken before the events were listened to; read on a thread of its own, because the
                    // HA service answers only once its store has opened, and a store that hangs must not hold the
                    // gate beyond its timeout (the shell must start, so that an operator can log in)
                    Thread read = new Thread(() -> {
                        try {
                            first.offer(ha.getState());
                        } catch (RuntimeException goneMeanwhile) {
                            // the HA component went away: the events, the stop or the timeout end the wait
                        }
                    }, "tandem-boot-gate-state");
                    read.setDaemon(true);
                    read.start();
                }
                return ha;
            }
        };
        service.open();
        long t0 = System.nanoTime();
        try {
            Optional<String> why = first.await(timeout);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (why.isPresent()) {
                LOG.info("Tandem boot: {} ({} ms at start level {}); starting the bundles above it (ssh, JMX, shell)",
                        why.get(), ms, own);
            } else {
                LOG.warn("Tandem boot: the HA node has taken no state within {} ({}); starting the bundles above start "
                        + "level {} (ssh, JMX, shell) anyway", Durations.format(timeout), TIMEOUT_PROPERTY, own);
            }
        } catch (InterruptedException e) {
            LOG.info("Tandem boot: interrupted while waiting for the node's first state; starting the bundles above "
                    + "start level {}", own);
            Thread.currentThread().interrupt();
        } finally {
            service.close();
            events.unregister();
            context.removeBundleListener(stopping);
        }
    }

    @Override
    public void stop(BundleContext context) {
        // nothing kept: the gate's listeners live only while start() waits
    }

    /** Whether to hold: only while the framework rises through this bundle's start level, and with a timeout. */
    static boolean holds(int activeStartLevel, int ownStartLevel, Duration timeout) {
        return activeStartLevel <= ownStartLevel && !timeout.isZero();
    }

    /** The timeout from {@value #TIMEOUT_PROPERTY}; a value that is not a duration up to 5 minutes is logged and ignored. */
    static Duration timeout(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            return Durations.parse(TIMEOUT_PROPERTY, value, MAX_TIMEOUT);
        } catch (InvalidValueException e) {
            LOG.error("Tandem boot: {}; using the default, {}", e.getMessage(), Durations.format(DEFAULT_TIMEOUT));
            return DEFAULT_TIMEOUT;
        }
    }
}
