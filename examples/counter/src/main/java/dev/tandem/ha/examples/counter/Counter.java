package dev.tandem.ha.examples.counter;

import java.util.NoSuchElementException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;
import dev.tandem.ha.api.store.StoreException;

/**
 * One round of counting: adds one to the sensor {@value CounterType#SENSOR} of every {@value CounterType#TYPE_ID}
 * entity, through {@link ManagedApplications#setSensor}: each write is durable (and fenced by the master's epoch)
 * when it returns. The next value is computed from the model, which on a master that has taken the state over holds
 * the last acknowledged value, so counting resumes from there after a failover.
 */
final class Counter {
    private static final Logger LOG = LoggerFactory.getLogger(Counter.class);

    private final ManagedApplications apps;

    Counter(ManagedApplications apps) {
        this.apps = apps;
    }

    /** @return how many entities were counted up in this round */
    int countOnce() {
        int counted = 0;
        for (EntityView counter : apps.entitiesOfType(CounterType.TYPE_ID)) {
            // checked before each read: never compute the next value from a copy that is still catching up
            if (!apps.writable()) {
                LOG.debug("Not counting: this node does not accept writes now");
                return counted;
            }
            EntityView now = apps.entity(counter.id()).orElse(null);
            if (now == null) {
                continue; // deleted meanwhile
            }
            long next = valueOf(now.sensors().get(CounterType.SENSOR)) + 1;
            try {
                apps.setSensor(now.id(), CounterType.SENSOR, next);
                counted++;
                LOG.debug("Counter {}: count {} accepted", now.id(), next);
            } catch (NoSuchElementException deleted) {
                // deleted between the read and the write: nothing to count
            } catch (IllegalStateException notMaster) {
                LOG.debug("Not counting: {}", notMaster.getMessage());
                return counted;
            } catch (StoreException e) {
                LOG.warn("Counter {}: count {} not written ({}); retried in the next round", now.id(), next,
                        e.getMessage());
                return counted;
            }
        }
        return counted;
    }

    /** The sensor's value as a number; anything else (absent, or set to text by hand) counts as 0. */
    static long valueOf(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
        return 0;
    }
}
