package dev.tandem.ha.apps.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The managed state in memory: applications as trees of {@link EntityRecord}s, and recent tasks. Changed only by
 * {@link #apply}, from one thread at a time (the journal's committer on the master, the tail on a hot standby);
 * read from any thread. Records are immutable, so a reader sees each entity whole.
 */
public final class ManagedModel {

    /** Ended tasks kept (the oldest are forgotten first); tasks in progress are always kept. */
    public static final int TASKS_KEPT = 1000;

    private final Map<String, EntityRecord> entities = new LinkedHashMap<>();
    private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();

    /** A consistent copy of everything, for a snapshot. */
    public record State(List<EntityRecord> entities, List<TaskRecord> tasks) {
        public State {
            entities = List.copyOf(entities);
            tasks = List.copyOf(tasks);
        }
    }

    public ManagedModel() {}

    public static ManagedModel of(State state) {
        ManagedModel m = new ManagedModel();
        state.entities().forEach(e -> m.entities.put(e.id(), e));
        state.tasks().forEach(t -> m.tasks.put(t.id(), t));
        return m;
    }

    public synchronized State state() {
        return new State(new ArrayList<>(entities.values()), new ArrayList<>(tasks.values()));
    }

    /**
     * Applies a change.
     *
     * @return false if it changed nothing because its target is gone (or a deployment's id is taken)
     */
    public synchronized boolean apply(Change change) {
        if (change instanceof Change.Deploy d) {
            return deploy(d);
        } else if (change instanceof Change.DeleteApplication d) {
            return deleteApplication(d.applicationId());
        } else if (change instanceof Change.SetSensors s) {
            return setSensors(s);
        } else if (change instanceof Change.SetConfig c) {
            return update(c.entityId(), e -> e.withConfig(c.key(), c.value()));
        } else if (change instanceof Change.TaskStarted t) {
            tasks.put(t.task().id(), t.task());
            trimTasks();
            return true;
        } else if (change instanceof Change.TaskEnded t) {
            return taskEnded(t);
        } else if (change instanceof Change.Reset) {
            entities.clear();
            tasks.clear();
            return true;
        }
        throw new IllegalArgumentException("unknown change " + change);
    }

    private boolean deploy(Change.Deploy d) {
        if (d.entities().stream().anyMatch(e -> entities.containsKey(e.id()))) {
            return false;
        }
        d.entities().forEach(e -> entities.put(e.id(), e));
        return true;
    }

    private boolean deleteApplication(String appId) {
        EntityRecord app = entities.get(appId);
        if (app == null || !app.isApplication()) {
            return false;
        }
        entities.values().removeIf(e -> e.applicationId().equals(appId));
        return true;
    }

    private boolean setSensors(Change.SetSensors s) {
        return update(s.entityId(), e -> {
            EntityRecord r = e;
            for (Map.Entry<String, Object> v : s.values().entrySet()) {
                r = r.withSensor(v.getKey(), v.getValue());
            }
            return r;
        });
    }

    private boolean taskEnded(Change.TaskEnded t) {
        TaskRecord task = tasks.get(t.taskId());
        if (task != null) {
            tasks.put(task.id(), task.ended(t.endTime(), t.status(), t.result()));
            trimTasks();
        }
        t.sensors().forEach(this::setSensors);
        return task != null;
    }

    private boolean update(String entityId, java.util.function.UnaryOperator<EntityRecord> f) {
        EntityRecord e = entities.get(entityId);
        if (e == null) {
            return false;
        }
        entities.put(entityId, f.apply(e));
        return true;
    }

    private void trimTasks() {
        long ended = tasks.values().stream().filter(TaskRecord::done).count();
        var it = tasks.values().iterator();
        while (ended > TASKS_KEPT && it.hasNext()) {
            if (it.next().done()) {
                it.remove();
                ended--;
            }
        }
    }

    // ------------------------------------------------------------ reads

    public synchronized List<EntityRecord> applications() {
        return entities.values().stream().filter(EntityRecord::isApplication).toList();
    }

    public synchronized Optional<EntityRecord> entity(String id) {
        return Optional.ofNullable(entities.get(id));
    }

    /** An entity of the given application, by id (or, as Brooklyn allows, by name); empty if none. */
    public synchronized Optional<EntityRecord> entity(String appId, String idOrName) {
        EntityRecord byId = entities.get(idOrName);
        if (byId != null) {
            return byId.applicationId().equals(appId) ? Optional.of(byId) : Optional.empty();
        }
        return entities.values().stream().filter(e -> e.applicationId().equals(appId) && idOrName.equals(e.name()))
                .findFirst();
    }

    /** The application with this id or (as Brooklyn allows) name. */
    public synchronized Optional<EntityRecord> application(String idOrName) {
        EntityRecord byId = entities.get(idOrName);
        if (byId != null) {
            return byId.isApplication() ? Optional.of(byId) : Optional.empty();
        }
        return entities.values().stream().filter(e -> e.isApplication() && idOrName.equals(e.name())).findFirst();
    }

    /** Every entity of an application, the application first, then depth-first. */
    public synchronized List<EntityRecord> descendants(String appId) {
        List<EntityRecord> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.push(appId);
        while (!todo.isEmpty()) {
            EntityRecord e = entities.get(todo.pop());
            if (e != null) {
                out.add(e);
                List<String> c = e.children();
                for (int i = c.size() - 1; i >= 0; i--) {
                    todo.push(c.get(i));
                }
            }
        }
        return out;
    }

    public synchronized List<EntityRecord> children(EntityRecord parent) {
        return parent.children().stream().map(entities::get).filter(java.util.Objects::nonNull).toList();
    }

    public synchronized List<EntityRecord> ofType(String typeId) {
        return entities.values().stream().filter(e -> e.type().equals(typeId)).toList();
    }

    public synchronized Optional<TaskRecord> task(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    public synchronized List<TaskRecord> tasksInProgress() {
        return tasks.values().stream().filter(t -> !t.done()).toList();
    }

    public synchronized int entityCount() {
        return entities.size();
    }
}
