package dev.tandem.ha.persistence.jclouds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.core.HaNode;
import dev.tandem.ha.core.HaSettings;
import dev.tandem.ha.core.NodeRunner;
import dev.tandem.ha.persistence.jclouds.BlobPlaneStore.Request;

/**
 * ha-core's HA nodes on S3Proxy over HTTP, with stores made by {@link JcloudsStoreFactory} from Brooklyn-style
 * configuration: the requests per poll of a master and a standby, and a failover after the master dies.
 */
class S3ProxyPlaneTest {
    @TempDir
    Path temp;

    private Map<String, Object> config(String container, String poll, String timeout) {
        S3ProxyServer server = S3ProxyServer.shared();
        Map<String, Object> c = new HashMap<>();
        c.put("highAvailabilityMode", "AUTO");
        c.put("persistenceLocation", "s3proxy");
        c.put("persistenceDir", container + "/plane");
        c.put("brooklyn.location.named.s3proxy", "jclouds:s3:" + server.endpoint());
        c.put("brooklyn.location.named.s3proxy.identity", S3ProxyServer.IDENTITY);
        c.put("brooklyn.location.named.s3proxy.credential", S3ProxyServer.CREDENTIAL);
        c.put("brooklyn.location.named.s3proxy.jclouds.s3.virtual-host-buckets", "false");
        c.put("brooklyn.ha.pollPeriod", poll);
        c.put("brooklyn.ha.heartbeatTimeout", timeout);
        return c;
    }

    private BlobPlaneStore store(JcloudsStoreFactory factory, Map<String, Object> c) {
        PlaneStore s = factory.create((String) c.get("persistenceLocation"), (String) c.get("persistenceDir"), c);
        assertThat(s.describe()).doesNotContain(S3ProxyServer.CREDENTIAL);
        return (BlobPlaneStore) s;
    }

    @Test
    void requestsPerPollOfAMasterAndAStandby() throws Exception {
        JcloudsStoreFactory factory = new JcloudsStoreFactory();
        try {
            Map<String, Object> c = config("tandem-requests", "1s", "30s");
            BlobPlaneStore storeA = store(factory, c);
            BlobPlaneStore storeB = store(factory, c);
            HaNode a = new HaNode(HaSettings.from(c, temp), storeA, HaClock.SYSTEM, "node-a", "1.0.0");
            HaNode b = new HaNode(HaSettings.from(c, temp), storeB, HaClock.SYSTEM, "node-b", "1.0.0");
            a.start();
            assertThat(a.status().state()).isEqualTo(ManagementNodeState.MASTER);
            b.start();
            assertThat(b.status().state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
            for (int i = 0; i < 3; i++) {
                a.tick();
                b.tick();
            }
            Map<Request, Long> a0 = storeA.requestCounts();
            Map<Request, Long> b0 = storeB.requestCounts();
            int polls = 100;
            for (int i = 0; i < polls; i++) {
                a.tick();
                b.tick();
            }
            assertThat(a.status().state()).isEqualTo(ManagementNodeState.MASTER);
            assertThat(b.status().state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
            Map<Request, Double> master = perPoll(a0, storeA.requestCounts(), polls);
            Map<Request, Double> standby = perPoll(b0, storeB.requestCounts(), polls);
            System.out.println("S3Proxy requests per poll (" + polls + " polls, " + storeA.describe() + "):");
            System.out.println("  master  " + master);
            System.out.println("  standby " + standby);
            // O(1) per poll: the master PUTs its record and HEADs the next epoch; the standby also GETs the master's record
            assertThat(master.get(Request.PUT)).isEqualTo(1.0);
            assertThat(master.get(Request.HEAD)).isEqualTo(1.0);
            assertThat(master.get(Request.GET)).isEqualTo(0.0);
            assertThat(master.get(Request.LIST)).isLessThanOrEqualTo(0.01);
            assertThat(standby.get(Request.PUT)).isEqualTo(1.0);
            assertThat(standby.get(Request.HEAD)).isEqualTo(1.0);
            assertThat(standby.get(Request.GET)).isEqualTo(1.0);
            assertThat(standby.get(Request.LIST)).isEqualTo(0.0);
            a.stop();
            b.stop();
        } finally {
            factory.deactivate();
        }
    }

    private static Map<Request, Double> perPoll(Map<Request, Long> before, Map<Request, Long> after, int polls) {
        Map<Request, Double> out = new EnumMap<>(Request.class);
        for (Request r : Request.values()) {
            out.put(r, (after.get(r) - before.get(r)) / (double) polls);
        }
        return out;
    }

    /** kill -9 of the master, seen from the plane: its store calls stop answering; the standby takes over. */
    @Test
    void theStandbyTakesOverAfterTheMasterDies() throws Exception {
        JcloudsStoreFactory factory = new JcloudsStoreFactory();
        Map<String, Object> c = config("tandem-failover", "200ms", "1s");
        Crashable storeA = new Crashable(store(factory, c));
        BlobPlaneStore storeB = store(factory, c);
        NodeRunner a = new NodeRunner(new HaNode(HaSettings.from(c, temp), storeA, HaClock.SYSTEM, "node-a", "1.0.0"));
        NodeRunner b = new NodeRunner(new HaNode(HaSettings.from(c, temp), storeB, HaClock.SYSTEM, "node-b", "1.0.0"));
        try {
            a.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.node().status().state() == ManagementNodeState.MASTER);
            b.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> b.node().status().state() == ManagementNodeState.HOT_STANDBY);
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                    .until(() -> a.node().isActingMaster() && b.node().status().state() == ManagementNodeState.HOT_STANDBY);

            long crashedAt = System.nanoTime();
            storeA.crash(); // the master's process is gone: nothing it does reaches the store any more
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> b.node().status().state() == ManagementNodeState.MASTER);
            long takeoverMillis = (System.nanoTime() - crashedAt) / 1_000_000;
            System.out.println("S3Proxy failover: node-b became MASTER " + takeoverMillis
                    + " ms after node-a died (heartbeat timeout 1s, poll 200ms, " + storeB.describe() + ")");
            assertThat(takeoverMillis).isGreaterThanOrEqualTo(900);
            assertThat(a.node().isActingMaster()).as("the dead master's lease has run out").isFalse();
            assertThat(b.node().status().epoch()).isGreaterThan(1);
        } finally {
            a.stop();
            b.stop();
            factory.deactivate();
        }
    }

    /** A store whose calls all fail once crashed: what a dead node's store calls amount to for the plane. */
    private static final class Crashable extends dev.tandem.ha.core.ForwardingPlaneStore {
        private final AtomicBoolean crashed = new AtomicBoolean();

        Crashable(PlaneStore delegate) {
            super(delegate);
        }

        void crash() {
            crashed.set(true);
        }

        @Override
        protected void before(Request request, String keyOrPrefix) throws StoreException {
            if (crashed.get()) {
                throw new StoreException("node crashed");
            }
        }
    }
}
