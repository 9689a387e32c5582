package dev.tandem.ha.apps.model;

import java.util.List;
import java.util.Map;

/**
 * One change of the managed state: the unit of the journal. Applying a change never fails; a change whose
 * target has gone (a sensor set on an entity deleted in the same batch) changes nothing, on the master and on
 * every replay alike.
 */
public sealed interface Change {

    /** A new application: its entities, root first, every parent before its children. */
    record Deploy(List<EntityRecord> entities) implements Change {
        public Deploy {
            entities = List.copyOf(entities);
        }
    }

    record DeleteApplication(String applicationId) implements Change {}

    record SetSensors(String entityId, Map<String, Object> values) implements Change {
        public SetSensors {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }
    }

    record SetConfig(String entityId, String key, Object value) implements Change {}

    record TaskStarted(TaskRecord task) implements Change {}

    /** An effector ended: its result and the sensors it set, in one change. */
    record TaskEnded(String taskId, long endTime, String status, Object result,
            List<SetSensors> sensors) implements Change {
        public TaskEnded {
            sensors = List.copyOf(sensors);
        }
    }

    /** Forget everything (persistMode CLEAN): what follows starts from an empty model. */
    record Reset() implements Change {}
}
