package dev.tandem.ha.apps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityContext;
import dev.tandem.ha.api.apps.EntityType;
import dev.tandem.ha.api.apps.ParameterDefinition;
import dev.tandem.ha.apps.journal.JournalWriter;
import dev.tandem.ha.apps.model.Change;
import dev.tandem.ha.apps.model.EntityRecord;
import dev.tandem.ha.apps.model.TaskRecord;

/**
 * Runs effectors as tasks: the task's start is made durable first, then the effector runs on this runner's
 * executor, and its end (result or error, and every sensor it set) is made durable in one change. An effector is
 * never run twice: a task whose master stopped is recorded as interrupted by the next master.
 */
public final class EffectorRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EffectorRunner.class);

    private final ExecutorService executor;
    private final TypeRegistry types;
    private final LongSupplier wallMillis;

    public EffectorRunner(ExecutorService executor, TypeRegistry types, LongSupplier wallMillis) {
        this.executor = executor;
        this.types = types;
        this.wallMillis = wallMillis;
    }

    TaskRecord newTask(String effector, EntityRecord entity, String displayName) {
        return new TaskRecord(Applications.newId(), displayName, entity.id(), entity.name(), effector,
                wallMillis.getAsLong(), null, TaskRecord.IN_PROGRESS, null);
    }

    TaskRecord invoke(JournalWriter writer, EntityRecord entity, EntityType type, String effector,
            Map<String, Object> parameters, long waitMillis) {
        EffectorDefinition def = type.effectors().stream().filter(d -> d.name().equals(effector)).findFirst()
                .orElseThrow(() -> new AppsException(404, "Effector '" + effector + "' not found on entity '"
                        + entity.id() + "' of type " + type.typeId(), "available: "
                        + type.effectors().stream().map(EffectorDefinition::name).toList()));
        Map<String, Object> args = arguments(def, parameters == null ? Map.of() : parameters);
        TaskRecord task = newTask(effector, entity, "Invoking effector " + effector + " on " + entity.name());
        Applications.await(writer.submit(new Change.TaskStarted(task)));
        CompletableFuture<TaskRecord> ended = CompletableFuture.supplyAsync(() -> run(writer, task, List.of(entity),
                List.of(args), type, effector), executor);
        try {
            return waitMillis < 0 ? ended.get() : ended.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return task;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return task;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AppsException a ? a : new AppsException(500, "Effector failed", String.valueOf(e.getCause()));
        }
    }

    /** A deployment's start: {@code start} on every entity that has it, children before their parents. */
    void runStart(JournalWriter writer, TaskRecord task, List<EntityRecord> entities) {
        List<EntityRecord> order = new ArrayList<>(entities);
        java.util.Collections.reverse(order); // entities come parent first: start the leaves first
        executor.execute(() -> run(writer, task, order, null, null, "start"));
    }

    private TaskRecord run(JournalWriter writer, TaskRecord task, List<EntityRecord> targets, List<Map<String, Object>> args,
            EntityType onlyType, String effector) {
        List<Change.SetSensors> sensors = new ArrayList<>();
        String status = TaskRecord.COMPLETED;
        Object result = null;
        try {
            for (int i = 0; i < targets.size(); i++) {
                EntityRecord e = targets.get(i);
                EntityType type = onlyType != null ? onlyType : types.get(e.type()).orElse(null);
                if (type == null || type.effectors().stream().noneMatch(d -> d.name().equals(effector))) {
                    continue;
                }
                Context ctx = new Context(e);
                result = type.invoke(effector, args == null ? Map.of() : args.get(i), ctx);
                if (!ctx.set.isEmpty()) {
                    sensors.add(new Change.SetSensors(e.id(), ctx.set));
                }
            }
        } catch (Exception | LinkageError ex) {
            status = TaskRecord.FAILED;
            result = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            LOG.info("Effector {} of task {} failed: {}", effector, task.id(), result);
        }
        long end = wallMillis.getAsLong();
        Applications.await(writer.submit(new Change.TaskEnded(task.id(), end, status, result, sensors)));
        return new TaskRecord(task.id(), task.displayName(), task.entityId(), task.entityName(), task.effector(),
                task.submitTime(), end, status, result);
    }

    static Map<String, Object> arguments(EffectorDefinition def, Map<String, Object> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : given.keySet()) {
            if (def.parameters().stream().noneMatch(p -> p.name().equals(name))) {
                throw new AppsException(400, "Effector '" + def.name() + "' has no parameter '" + name + "'",
                        "parameters: " + def.parameters().stream().map(ParameterDefinition::name).toList());
            }
        }
        for (ParameterDefinition p : def.parameters()) {
            Object v = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue();
            if (v == null && p.required()) {
                throw new AppsException(400, "Effector '" + def.name() + "' needs parameter '" + p.name() + "'",
                        "a " + p.type().javaName() + ": " + p.description());
            }
            try {
                out.put(p.name(), p.type().coerce(p.name(), v));
            } catch (IllegalArgumentException e) {
                throw new AppsException(400, "Invalid parameter for effector '" + def.name() + "'", e.getMessage());
            }
        }
        return out;
    }

    /** The entity as the effector sees it; the sensors it sets are kept for the task's end. */
    private static final class Context implements EntityContext {
        private final EntityRecord entity;
        private final Map<String, Object> set = new LinkedHashMap<>();

        Context(EntityRecord entity) {
            this.entity = entity;
        }

        @Override
        public String entityId() {
            return entity.id();
        }

        @Override
        public String applicationId() {
            return entity.applicationId();
        }

        @Override
        public Map<String, Object> config() {
            return entity.config();
        }

        @Override
        public Optional<Object> sensor(String name) {
            if (set.containsKey(name)) {
                return Optional.ofNullable(set.get(name));
            }
            return Optional.ofNullable(entity.sensors().get(name));
        }

        @Override
        public synchronized void setSensor(String name, Object value) {
            set.put(name, value);
        }
    }
}
