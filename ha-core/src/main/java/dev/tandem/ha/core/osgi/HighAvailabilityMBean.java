package dev.tandem.ha.core.osgi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import javax.management.StandardMBean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.tandem.ha.api.HaMetrics;
import dev.tandem.ha.api.HighAvailabilityMXBean;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.apps.ManagedStateStatus;

/**
 * The HA figures as an MXBean. Registered as an OSGi service with {@code jmx.objectname}, so Karaf's
 * {@code management} feature (its JMX whiteboard) puts it into the platform MBean server under
 * {@value HighAvailabilityMXBean#OBJECT_NAME}; a {@link StandardMBean}, as the whiteboard wants a dynamic MBean.
 * Every read takes a fresh {@link HighAvailabilityService#getMetrics()}, which never reads the store. The hot copy's
 * lag comes from the {@link ManagedStateStatus} service of the managed applications, while there is one.
 */
@Component(service = HighAvailabilityMXBean.class,
        property = "jmx.objectname=" + HighAvailabilityMXBean.OBJECT_NAME)
public final class HighAvailabilityMBean extends StandardMBean implements HighAvailabilityMXBean {

    private final HighAvailabilityService ha;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ManagedStateStatus managedState;

    @Activate
    public HighAvailabilityMBean(@Reference HighAvailabilityService ha) {
        super(HighAvailabilityMXBean.class, true);
        this.ha = ha;
    }

    private HaMetrics metrics() {
        return ha.getMetrics();
    }

    @Override
    public String getNodeId() {
        return ha.getNodeId();
    }

    @Override
    public String getState() {
        return ha.getState().name();
    }

    @Override
    public boolean isActingMaster() {
        return ha.isActingMaster();
    }

    @Override
    public long getEpoch() {
        return metrics().epoch();
    }

    @Override
    public long getMasterGained() {
        return metrics().masterGained();
    }

    @Override
    public long getMasterLost() {
        return metrics().masterLost();
    }

    @Override
    public double getUptimeSeconds() {
        return metrics().uptimeMillis() / 1000.0;
    }

    @Override
    public double getPollPeriodSeconds() {
        return metrics().pollPeriodMillis() / 1000.0;
    }

    @Override
    public double getHeartbeatTimeoutSeconds() {
        return metrics().heartbeatTimeoutMillis() / 1000.0;
    }

    @Override
    public double getLeaseSeconds() {
        return metrics().leaseMillis() / 1000.0;
    }

    @Override
    public double getLeaseRemainingSeconds() {
        return metrics().leaseRemainingMillis() / 1000.0;
    }

    @Override
    public String getClaimMethod() {
        return metrics().claimMethod();
    }

    @Override
    public String getStore() {
        return metrics().store();
    }

    @Override
    public Map<String, Long> getStoreRequests() {
        return new LinkedHashMap<>(metrics().storeRequests());
    }

    @Override
    public Map<String, Long> getStoreFailures() {
        return new LinkedHashMap<>(metrics().storeFailures());
    }

    @Override
    public double getHotCopyLagSeconds() {
        ManagedStateStatus status = managedState;
        OptionalLong lag = status == null ? OptionalLong.empty() : status.hotCopyLagMillis();
        return lag.isPresent() ? lag.getAsLong() / 1000.0 : Double.NaN;
    }

    /** The managed applications' status (DS sets it while the service is there; tests call this). */
    void setManagedState(ManagedStateStatus status) {
        this.managedState = status;
    }

    @Override
    public Map<String, Double> getStoreLatencyMeanMillis() {
        Map<String, Double> means = new LinkedHashMap<>();
        metrics().storeLatency().forEach((kind, latency) -> {
            if (latency.count() > 0) {
                means.put(kind, latency.sumSeconds() * 1000 / latency.count());
            }
        });
        return means;
    }
}
