package dev.tandem.ha.core.osgi;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.management.StandardMBean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.tandem.ha.api.HaMetrics;
import dev.tandem.ha.api.HighAvailabilityMXBean;
import dev.tandem.ha.api.HighAvailabilityService;

/**
 * The HA figures as an MXBean. Registered as an OSGi service with {@code jmx.objectname}, so Karaf's
 * {@code management} feature (its JMX whiteboard) puts it into the platform MBean server under
 * {@value HighAvailabilityMXBean#OBJECT_NAME}; a {@link StandardMBean}, as the whiteboard wants a dynamic MBean.
 * Every read takes a fresh {@link HighAvailabilityService#getMetrics()}, which never reads the store.
 */
@Component(service = HighAvailabilityMXBean.class,
        property = "jmx.objectname=" + HighAvailabilityMXBean.OBJECT_NAME)
public final class HighAvailabilityMBean extends StandardMBean implements HighAvailabilityMXBean {

    private final HighAvailabilityService ha;

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
