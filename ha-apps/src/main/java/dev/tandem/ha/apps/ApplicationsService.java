package dev.tandem.ha.apps;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityType;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;
import dev.tandem.ha.api.apps.TaskView;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.apps.journal.JournalWriter;
import dev.tandem.ha.apps.model.Change;
import dev.tandem.ha.apps.model.EntityRecord;
import dev.tandem.ha.apps.model.ManagedModel;
import dev.tandem.ha.apps.model.TaskRecord;

/**
 * {@link ManagedApplications} for other bundles and the shell: {@link Applications}' operations with Java exceptions
 * instead of HTTP statuses (404: {@link NoSuchElementException}, 400: {@link IllegalArgumentException}, 403 and 503:
 * {@link IllegalStateException}), each message naming the bad value and what exists or is accepted.
 */
public final class ApplicationsService implements ManagedApplications {
    private static final long WRITE_TIMEOUT_SECONDS = 60;

    private final Applications apps;
    private final AppsRuntime runtime;

    public ApplicationsService(Applications apps, AppsRuntime runtime) {
        this.apps = apps;
        this.runtime = runtime;
    }

    @Override
    public boolean readable() {
        try {
            apps.read();
            return true;
        } catch (AppsException e) {
            return false;
        }
    }

    @Override
    public boolean writable() {
        try {
            apps.writer();
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
    public List<EntityView> applications() {
        return read().applications().stream().map(EntityRecord::view).toList();
    }

    @Override
    public List<EntityView> entities(String application) {
        ManagedModel m = read();
        EntityRecord app = m.application(application).orElseThrow(() -> new NoSuchElementException(
                "No application '" + application + "'; " + describe(m.applications(), "applications")));
        return m.descendants(app.id()).stream().map(EntityRecord::view).toList();
    }

    @Override
    public List<EffectorDefinition> effectors(String entityId) {
        EntityRecord e = entityRecord(entityId);
        return apps.types().get(e.type()).map(EntityType::effectors).orElse(List.of());
    }

    @Override
    public TaskView invoke(String entityId, String effector, Map<String, Object> parameters, Duration wait) {
        EntityRecord e = entityRecord(entityId);
        try {
            TaskRecord t = apps.invoke(e.applicationId(), e.id(), effector, parameters, wait.isNegative() ? -1 : wait.toMillis());
            return new TaskView(t.id(), t.status(), t.done(), t.isError(), t.result());
        } catch (AppsException x) {
            throw translate(x);
        }
    }

    @Override
    public void setSensor(String entityId, String sensor, Object value) throws StoreException {
        JournalWriter w;
        try {
            w = apps.writer();
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

    private ManagedModel read() {
        try {
            return apps.read();
        } catch (AppsException e) {
            throw translate(e);
        }
    }

    private EntityRecord entityRecord(String entityId) {
        ManagedModel m = read();
        return m.entity(entityId).orElseThrow(() -> new NoSuchElementException("No entity with id '" + entityId + "'"));
    }

    /** {@code applications: web (abc123), db (def456)} or {@code there are no applications}. */
    static String describe(List<EntityRecord> entities, String what) {
        if (entities.isEmpty()) {
            return "there are no " + what;
        }
        return what + ": " + entities.stream().map(e -> e.name() + " (" + e.id() + ")").collect(Collectors.joining(", "));
    }

    private static RuntimeException translate(AppsException e) {
        String message = e.details().isEmpty() ? e.getMessage() : e.getMessage() + "; " + e.details();
        return switch (e.status()) {
            case 404 -> new NoSuchElementException(message);
            case 400 -> new IllegalArgumentException(message);
            default -> new IllegalStateException(message);
        };
    }
}
