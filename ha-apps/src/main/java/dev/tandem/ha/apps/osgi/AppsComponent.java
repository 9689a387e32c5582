package dev.tandem.ha.apps.osgi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.apps.EntityType;
import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;
import dev.tandem.ha.api.apps.ManagedStateStatus;
import dev.tandem.ha.api.apps.TaskView;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.apps.Applications;
import dev.tandem.ha.apps.ApplicationsService;
import dev.tandem.ha.apps.AppsRuntime;
import dev.tandem.ha.apps.EffectorRunner;
import dev.tandem.ha.apps.TypeRegistry;
import dev.tandem.ha.apps.rest.AppsRestResources;

/**
 * The managed applications of this Karaf: follows the HA role ({@link AppsRuntime}), offers
 * {@link ManagedApplications} to other bundles and the hot copy's lag as {@link ManagedStateStatus}, and registers Brooklyn's application REST resources for Tandem's
 * REST endpoint (services with {@value AppsRestResources#RESOURCE_PROPERTY}{@code =true}). Reads
 * {@code persistMode}, {@code persistPeriod} and {@code brooklyn.ha.pollPeriod} from
 * {@code etc/org.apache.brooklyn.osgilauncher.cfg}; a change re-creates the component.
 */
@Component(service = {ManagedApplications.class, ManagedStateStatus.class}, immediate = true, configurationPid = "org.apache.brooklyn.osgilauncher",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AppsComponent implements ManagedApplications, ManagedStateStatus {
    private static final Logger LOG = LoggerFactory.getLogger(AppsComponent.class);
    static final int SNAPSHOT_EVERY = 500;
    /** The EventAdmin topic on which the HA core posts each state change of this node. */
    static final String HA_STATE_TOPIC = "dev/tandem/ha/STATE_CHANGED";

    private final TypeRegistry types = new TypeRegistry();
    private final ExecutorService effectors;
    private final AppsRuntime runtime;
    private final Applications apps;
    private final ApplicationsService service;
    private final List<ServiceRegistration<?>> resources = new ArrayList<>();

    @Activate
    public AppsComponent(BundleContext context, Map<String, Object> config,
            @Reference HighAvailabilityService ha, @Reference ManagedStateStore store) {
        AppsRuntime.Settings settings = settings(config);
        this.effectors = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tandem-apps-effector");
            t.setDaemon(true);
            return t;
        });
        this.runtime = new AppsRuntime(ha, store, settings, System::nanoTime);
        this.apps = new Applications(ha, runtime, types, new EffectorRunner(effectors, types, System::currentTimeMillis));
        this.service = new ApplicationsService(apps, runtime);
        runtime.start();
        // the HA core posts its state changes here: a promotion is taken over at once, not at the next role check
        Hashtable<String, Object> events = new Hashtable<>();
        events.put(org.osgi.service.event.EventConstants.EVENT_TOPIC, HA_STATE_TOPIC);
        resources.add(context.registerService(org.osgi.service.event.EventHandler.class, e -> runtime.stepSoon(), events));
        for (Object resource : AppsRestResources.all(apps)) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(AppsRestResources.RESOURCE_PROPERTY, Boolean.TRUE);
            resources.add(context.registerService(Object.class, resource, props));
        }
        LOG.info("Tandem managed applications: persistMode {}, hot copy follows the journal every {} ms",
                settings.persistMode(), settings.tailPeriod().toMillis());
    }

    /** persistMode, and the hot copy's period: min(pollPeriod, persistPeriod). Bad values fail activation. */
    static AppsRuntime.Settings settings(Map<String, Object> config) {
        PersistMode mode = PersistMode.parse("persistMode", str(config, "persistMode", "AUTO"));
        Duration persist = Durations.parse("persistPeriod", str(config, "persistPeriod", "1s"));
        Duration poll = Durations.parse("brooklyn.ha.pollPeriod", str(config, "brooklyn.ha.pollPeriod", "1s"));
        Duration tail = persist.compareTo(poll) < 0 ? persist : poll;
        if (tail.isZero() || tail.isNegative()) {
            tail = Duration.ofMillis(100);
        }
        return new AppsRuntime.Settings(mode, tail, SNAPSHOT_EVERY);
    }

    private static String str(Map<String, Object> config, String key, String def) {
        Object v = config.get(key);
        return v == null || v.toString().isBlank() ? def : v.toString().trim();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addType(EntityType type) {
        types.add(type);
    }

    void removeType(EntityType type) {
        types.remove(type);
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : resources) {
            try {
                r.unregister();
            } catch (IllegalStateException gone) {
                // already unregistered with the bundle
            }
        }
        runtime.close();
        effectors.shutdownNow();
        try {
            effectors.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean readable() {
        return service.readable();
    }

    @Override
    public boolean writable() {
        return service.writable();
    }

    @Override
    public List<EntityView> entitiesOfType(String typeId) {
        return service.entitiesOfType(typeId);
    }

    @Override
    public Optional<EntityView> entity(String entityId) {
        return service.entity(entityId);
    }

    @Override
    public void setSensor(String entityId, String sensor, Object value) throws StoreException {
        service.setSensor(entityId, sensor, value);
    }

    @Override
    public List<EntityView> applications() {
        return service.applications();
    }

    @Override
    public List<EntityView> entities(String application) {
        return service.entities(application);
    }

    @Override
    public List<EffectorDefinition> effectors(String entityId) {
        return service.effectors(entityId);
    }

    @Override
    public TaskView invoke(String entityId, String effector, Map<String, Object> parameters, Duration wait) {
        return service.invoke(entityId, effector, parameters, wait);
    }

    @Override
    public OptionalLong hotCopyLagMillis() {
        return runtime.lag().hotCopyLagMillis();
    }
}
