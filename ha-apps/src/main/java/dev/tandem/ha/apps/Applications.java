package dev.tandem.ha.apps;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.apps.EntityType;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.apps.blueprint.BlueprintException;
import dev.tandem.ha.apps.blueprint.EntitySpec;
import dev.tandem.ha.apps.journal.JournalWriter;
import dev.tandem.ha.apps.model.Change;
import dev.tandem.ha.apps.model.EntityRecord;
import dev.tandem.ha.apps.model.ManagedModel;
import dev.tandem.ha.apps.model.TaskRecord;

/**
 * The operations on managed applications, gated as in Brooklyn: reads from this node's copy on MASTER,
 * HOT_STANDBY and HOT_BACKUP (403 elsewhere); writes on the acting master only (403 elsewhere), answered once
 * durable (503 if the store did not take them: nothing applied).
 */
public final class Applications implements ManagedApplications {
    static final String READ_REFUSED = "This request is only permitted against an active primary or hot standby/backup "
            + "Brooklyn server";
    static final String WRITE_REFUSED = "This request is only permitted against an active primary Brooklyn server";
    private static final long WRITE_TIMEOUT_SECONDS = 60;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HighAvailabilityService ha;
    private final AppsRuntime runtime;
    private final TypeRegistry types;
    private final EffectorRunner effectors;

    public Applications(HighAvailabilityService ha, AppsRuntime runtime, TypeRegistry types, EffectorRunner effectors) {
        this.ha = ha;
        this.runtime = runtime;
        this.types = types;
        this.effectors = effectors;
    }

    public TypeRegistry types() {
        return types;
    }

    /** The model to read from, or 403 naming this node's state. */
    public ManagedModel read() {
        ManagementNodeState state = ha.getState();
        ManagedModel m = runtime.model();
        boolean allowed = state == ManagementNodeState.MASTER || state == ManagementNodeState.HOT_STANDBY
                || state == ManagementNodeState.HOT_BACKUP;
        if (!allowed) {
            throw new AppsException(403, READ_REFUSED, "this node is " + state
                    + "; the managed state is served by the master and by HOT_STANDBY or HOT_BACKUP nodes");
        }
        if (m == null) {
            throw new AppsException(503, "The managed state is not available on this node yet",
                    String.valueOf(runtime.unavailableReason()));
        }
        return m;
    }

    JournalWriter writer() {
        if (!ha.isActingMaster()) {
            throw new AppsException(403, WRITE_REFUSED, "this node is " + ha.getState()
                    + ", not the acting master: managed state is written on the master only (the header "
                    + "Brooklyn-Allow-Non-Master-Access does not change that)");
        }
        JournalWriter w = runtime.writer();
        if (w == null) {
            throw new AppsException(503, "This node is taking over the managed state; retry shortly",
                    String.valueOf(runtime.unavailableReason()));
        }
        return w;
    }

    // ------------------------------------------------------------ writes

    /** Deploys a blueprint: durable before this returns; its start runs as the returned task. */
    public TaskRecord deploy(EntitySpec spec) {
        List<EntityRecord> entities = new ArrayList<>();
        String appId = newId();
        build(spec, appId, appId, null, entities);
        JournalWriter w = writer();
        TaskRecord task = effectors.newTask("start", entities.get(0), "Start application " + entities.get(0).name());
        await(w.submitAll(List.of(new Change.Deploy(entities), new Change.TaskStarted(task))));
        effectors.runStart(w, task, entities);
        return task;
    }

    private void build(EntitySpec spec, String id, String appId, String parentId, List<EntityRecord> out) {
        EntityType type = types.get(spec.type()).orElseThrow(() -> new BlueprintException("unknown entity type '"
                + spec.type() + "'; available types: " + types.available().keySet()));
        Map<String, Object> config = new LinkedHashMap<>(spec.config());
        if (spec.planId() != null) {
            config.putIfAbsent("camp.plan.id", spec.planId());
        }
        List<String> childIds = new ArrayList<>();
        spec.children().forEach(c -> childIds.add(newId()));
        out.add(new EntityRecord(id, spec.name() != null ? spec.name() : simpleName(spec.type()), spec.type(), appId,
                parentId, childIds, config, type.initialSensors()));
        for (int i = 0; i < childIds.size(); i++) {
            build(spec.children().get(i), childIds.get(i), appId, id, out);
        }
    }

    /** Deletes an application and all its entities, durably; returns the (ended) task that did it. */
    public TaskRecord delete(String appIdOrName) {
        EntityRecord app = read().application(appIdOrName).orElseThrow(() -> AppsException.notFound("Application", appIdOrName));
        JournalWriter w = writer();
        TaskRecord task = effectors.newTask("expunge", app, "Expunging entity " + app.name());
        long now = System.currentTimeMillis();
        await(w.submitAll(List.of(new Change.TaskStarted(task), new Change.DeleteApplication(app.id()),
                new Change.TaskEnded(task.id(), now, TaskRecord.COMPLETED, null, List.of()))));
        return new TaskRecord(task.id(), task.displayName(), task.entityId(), task.entityName(), task.effector(),
                task.submitTime(), now, TaskRecord.COMPLETED, null);
    }

    public void setSensors(String appId, String entity, Map<String, Object> values) {
        EntityRecord e = entity(appId, entity);
        if (!await(writer().submit(new Change.SetSensors(e.id(), values)))) {
            throw AppsException.notFound("Entity", entity);
        }
    }

    public void setConfig(String appId, String entity, String key, Object value) {
        EntityRecord e = entity(appId, entity);
        if (!await(writer().submit(new Change.SetConfig(e.id(), key, value)))) {
            throw AppsException.notFound("Entity", entity);
        }
    }

    /**
     * Invokes an effector; waits up to {@code waitMillis} for it to end (negative: until it ends).
     *
     * @return the task, ended if it ended in time
     */
    public TaskRecord invoke(String appId, String entity, String effector, Map<String, Object> parameters, long waitMillis) {
        EntityRecord e = entity(appId, entity);
        EntityType type = types.get(e.type()).orElseThrow(() -> new AppsException(503, "Entity type '" + e.type()
                + "' is not installed on this node", "install the bundle that provides it; available: "
                + types.available().keySet()));
        return effectors.invoke(writer(), e, type, effector, parameters, waitMillis);
    }

    EntityRecord entity(String appId, String entity) {
        ManagedModel m = read();
        EntityRecord app = m.application(appId).orElseThrow(() -> AppsException.notFound("Application", appId));
        return m.entity(app.id(), entity).orElseThrow(() -> AppsException.notFound("Entity", entity));
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AppsException(503, "Interrupted while waiting for the store", "the write may or may not be applied");
        } catch (TimeoutException e) {
            throw new AppsException(503, "The store did not answer in " + WRITE_TIMEOUT_SECONDS + " s",
                    "the write may or may not be applied");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IllegalStateException) {
                throw new AppsException(403, WRITE_REFUSED, c.getMessage());
            }
            throw new AppsException(503, "The store did not take the write; nothing was applied",
                    c instanceof StoreException ? c.getMessage() : String.valueOf(c));
        }
    }

    static String newId() {
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            b.append(chars.charAt(RANDOM.nextInt(chars.length())));
        }
        return b.toString();
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    // ------------------------------------------------------------ ManagedApplications (for bundles)

    @Override
    public boolean readable() {
        try {
            read();
            return true;
        } catch (AppsException e) {
            return false;
        }
    }

    @Override
    public boolean writable() {
        try {
            writer();
            return true;
        } catch (AppsException e) {
            return false;
        }
    }

    @Override
    public List<EntityView> entitiesOfType(String typeId) {
        ManagedModel m = runtime.model();
        return m == null ? List.of() : m.ofType(typeId).stream().map(EntityRecord::view).toList();
    }

    @Override
    public Optional<EntityView> entity(String entityId) {
        ManagedModel m = runtime.model();
        return m == null ? Optional.empty() : m.entity(entityId).map(EntityRecord::view);
    }

    @Override
    public void setSensor(String entityId, String sensor, Object value) throws StoreException {
        JournalWriter w;
        try {
            w = writer();
        } catch (AppsException e) {
            throw new IllegalStateException(e.getMessage() + ": " + e.details());
        }
        try {
            if (!w.submit(new Change.SetSensors(entityId, Map.of(sensor, value))).get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new NoSuchElementException("no entity '" + entityId + "'");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store");
        } catch (TimeoutException e) {
            throw new StoreException("the store did not answer in " + WRITE_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException s) {
                throw s;
            }
            if (e.getCause() instanceof IllegalStateException s) {
                throw s;
            }
            throw new StoreException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
