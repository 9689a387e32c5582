package dev.tandem.ha.examples.counter;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.apps.ManagedApplications;

/**
 * Master-only work: this component is satisfied only while the OSGi condition {@code osgi.condition.id=tandem.master}
 * is registered, which Tandem does while, and only while, this node is the acting master. DS activates it when the
 * node becomes master and deactivates it when the node stops being master (before its lease can run out). While
 * active it counts once a second ({@link Counter}). No {@code if (isMaster())} anywhere: the write path refuses
 * writes from a node that is not the acting master anyway, so a frozen process that wakes up cannot count twice.
 */
@Component(immediate = true, property = "osgi.ds.satisfying.condition.target=(osgi.condition.id=tandem.master)")
public final class CounterComponent {
    private static final Logger LOG = LoggerFactory.getLogger(CounterComponent.class);
    static final long PERIOD_MILLIS = 1000;

    private final ScheduledExecutorService timer;

    @Activate
    public CounterComponent(@Reference ManagedApplications apps) {
        Counter counter = new Counter(apps);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-example-counter");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                counter.countOnce();
            } catch (RuntimeException e) {
                LOG.warn("Counting failed; next round as usual", e);
            }
        }, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("Tandem example: this node is the acting master: counting into '{}' of every {}", CounterType.SENSOR,
                CounterType.TYPE_ID);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS); // a round in progress ends with its current write
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Tandem example: no longer the acting master: counting stopped");
    }
}
