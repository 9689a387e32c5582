package dev.tandem.ha.core.osgi;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.core.HaNode;

/**
 * Publishes every change of the state a node reports through OSGi EventAdmin, when an EventAdmin is present: topic
 * {@value #TOPIC}, properties {@code nodeId}, {@code state}, {@code previousState}, {@code epoch} (the newest the node knows) and {@code timestamp} (wall clock millis). Events are posted
 * asynchronously ({@link EventAdmin#postEvent}): a slow handler never holds the node. A lapsed lease is published
 * when the lease runs out, like every other listener of the node hears it.
 */
final class StateEvents {
    static final String TOPIC = "dev/tandem/ha/STATE_CHANGED";

    private volatile EventAdmin eventAdmin;

    void bind(EventAdmin admin) {
        eventAdmin = admin;
    }

    /** Forgets {@code admin} if it is the one in use. */
    void unbind(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    /** A listener for {@code node}'s state changes, to add with {@link HaNode#addStateListener}. */
    Consumer<ManagementNodeState> listenerFor(HaNode node) {
        return new Consumer<>() {
            private ManagementNodeState previous = node.effectiveState();

            @Override
            public synchronized void accept(ManagementNodeState state) {
                ManagementNodeState before = previous;
                previous = state;
                EventAdmin admin = eventAdmin;
                if (admin != null && state != before) {
                    admin.postEvent(event(node.nodeId(), state, before, node.status().epoch(),
                            node.clock().currentTimeMillis()));
                }
            }
        };
    }

    static Event event(String nodeId, ManagementNodeState state, ManagementNodeState previous, long epoch,
            long timestamp) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("nodeId", nodeId);
        properties.put("state", state.name());
        if (previous != null) {
            properties.put("previousState", previous.name());
        }
        properties.put("epoch", epoch);
        properties.put("timestamp", timestamp);
        return new Event(TOPIC, properties);
    }
}
