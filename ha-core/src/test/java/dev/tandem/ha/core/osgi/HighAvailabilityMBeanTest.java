package dev.tandem.ha.core.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tandem.ha.api.HighAvailabilityMXBean;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.core.HaClock;

/** The MBean of a real node (folder store) in a plain MBeanServer, read as a JMX client would. */
class HighAvailabilityMBeanTest {

    @TempDir
    Path base;

    private HighAvailabilityComponent node;
    private MBeanServer server;
    private ObjectName name;
    private HighAvailabilityMBean mbean;

    @BeforeEach
    void start() throws Exception {
        node = new HighAvailabilityComponent(base, "1.0.0", HaClock.SYSTEM, Map.of(
                "persistenceDir", base.resolve("store").toString(),
                "brooklyn.ha.pollPeriod", "100ms", "brooklyn.ha.heartbeatTimeout", "1s"));
        server = MBeanServerFactory.newMBeanServer();
        name = new ObjectName(HighAvailabilityMXBean.OBJECT_NAME);
        // what Karaf's JMX whiteboard does with the service and its jmx.objectname
        mbean = new HighAvailabilityMBean(node);
        server.registerMBean(mbean, name);
    }

    @AfterEach
    void stop() {
        node.deactivate();
    }

    @Test
    void attributesAreOpenTypesWithTheNodesFigures() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.getState() == ManagementNodeState.MASTER);

        assertThat(server.isRegistered(name)).isTrue();
        assertThat(JMX.isMXBeanInterface(HighAvailabilityMXBean.class)).isTrue();
        assertThat(server.getAttribute(name, "State")).isEqualTo("MASTER");
        assertThat(server.getAttribute(name, "ActingMaster")).isEqualTo(true);
        assertThat(server.getAttribute(name, "NodeId")).isEqualTo(node.getNodeId());
        assertThat((Long) server.getAttribute(name, "Epoch")).isPositive();
        assertThat(server.getAttribute(name, "MasterGained")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "MasterLost")).isEqualTo(0L);
        assertThat(server.getAttribute(name, "PollPeriodSeconds")).isEqualTo(0.1);
        assertThat(server.getAttribute(name, "HeartbeatTimeoutSeconds")).isEqualTo(1.0);
        assertThat((Double) server.getAttribute(name, "LeaseSeconds")).isPositive().isLessThan(1.0);
        assertThat(server.getAttribute(name, "ClaimMethod")).isEqualTo("ATOMIC");
        assertThat((String) server.getAttribute(name, "Store")).contains(base.resolve("store").toString());

        // maps are TabularData of {key, value} rows, as MXBeans map them
        TabularData requests = (TabularData) server.getAttribute(name, "StoreRequests");
        assertThat(row(requests, "read")).isInstanceOf(Long.class);
        assertThat((Long) row(requests, "put")).isPositive();
        TabularData means = (TabularData) server.getAttribute(name, "StoreLatencyMeanMillis");
        assertThat((Double) row(means, "put")).isNotNegative();
        assertThat(((TabularData) server.getAttribute(name, "StoreFailures")).size()).isPositive();
    }

    @Test
    void theHotCopysLagIsNaNWithoutACopyAndInSecondsWithOne() throws Exception {
        assertThat((Double) server.getAttribute(name, "HotCopyLagSeconds")).as("no managed applications").isNaN();
        AtomicReference<OptionalLong> lag = new AtomicReference<>(OptionalLong.empty());
        mbean.setManagedState(lag::get);
        assertThat((Double) server.getAttribute(name, "HotCopyLagSeconds")).as("a node that keeps no copy").isNaN();
        lag.set(OptionalLong.of(1_500));
        assertThat(server.getAttribute(name, "HotCopyLagSeconds")).isEqualTo(1.5);
        mbean.setManagedState(null);
        assertThat((Double) server.getAttribute(name, "HotCopyLagSeconds")).isNaN();
    }

    @Test
    void aClientProxyReadsTheSameFiguresAsTheMetrics() {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.getState() == ManagementNodeState.MASTER);
        HighAvailabilityMXBean proxy = JMX.newMXBeanProxy(server, name, HighAvailabilityMXBean.class);

        assertThat(proxy.getEpoch()).isEqualTo(node.getMetrics().epoch());
        assertThat(proxy.getStoreRequests().keySet()).isEqualTo(node.getMetrics().storeRequests().keySet());
        assertThat(proxy.getState()).isEqualTo(node.getState().name());
    }

    private static Object row(TabularData table, String key) {
        CompositeData row = table.get(new Object[] {key});
        assertThat(row).as("row " + key).isNotNull();
        return row.get("value");
    }
}
