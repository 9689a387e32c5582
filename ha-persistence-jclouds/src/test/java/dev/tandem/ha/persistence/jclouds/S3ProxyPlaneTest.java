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

    /**
     * Three nodes at the defaults (T = 30 s, P = 1 s) on S3Proxy over HTTP, for 600 polls of a clock the test
     * steps by one poll: the requests each node makes per hour, by kind, and what three nodes cost per month
     * at Amazon S3's list prices (docs/persistence.md shows the figures this prints).
     */
    @Test
    void requestsPerHourAndMonthlyCostOfThreeNodesAtTheDefaults() throws Exception {
        JcloudsStoreFactory factory = new JcloudsStoreFactory();
        try {
            Map<String, Object> c = config("tandem-requests", "1s", "30s");
            java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
            HaClock stepped = new HaClock() {
                @Override
                public long nanoTime() {
                    return now.get();
                }

                @Override
                public long currentTimeMillis() {
                    return 1_767_225_600_000L + now.get() / 1_000_000;
                }
            };
            java.util.List<BlobPlaneStore> stores = new java.util.ArrayList<>();
            java.util.List<HaNode> nodes = new java.util.ArrayList<>();
            for (String id : new String[] {"node-a", "node-b", "node-c"}) {
                BlobPlaneStore store = store(factory, c);
                HaNode node = new HaNode(HaSettings.from(c, temp), store, stepped, id, "1.0.0");
                node.start();
                stores.add(store);
                nodes.add(node);
            }
            long poll = Duration.ofSeconds(1).toNanos();
            // warm-up: one master, two hot standbys (a timed claim may need a retry on a busy machine), then
            // every node past its first heartbeat intervals
            for (int i = 0; i < 300 && nodes.stream().filter(HaNode::isActingMaster).count() != 1; i++) {
                now.addAndGet(poll);
                nodes.forEach(HaNode::tick);
            }
            for (int i = 0; i < 30; i++) {
                now.addAndGet(poll);
                nodes.forEach(HaNode::tick);
            }
            assertThat(nodes).extracting(x -> x.status().state()).containsOnlyOnce(ManagementNodeState.MASTER)
                    .containsOnly(ManagementNodeState.MASTER, ManagementNodeState.HOT_STANDBY);
            HaNode master = nodes.stream().filter(HaNode::isActingMaster).findFirst().orElseThrow();
            java.util.List<Map<Request, Long>> before = stores.stream().map(BlobPlaneStore::requestCounts).toList();
            int polls = 600;
            for (int i = 0; i < polls; i++) {
                now.addAndGet(poll);
                nodes.forEach(HaNode::tick);
            }
            assertThat(master.isActingMaster()).isTrue();
            double hours = polls / 3600.0;
            double dollarsPerMonth = 0;
            System.out.println("S3Proxy requests per node per hour at T = 30 s, P = 1 s (" + polls + " polls, "
                    + stores.get(0).describe() + "):");
            for (int n = 0; n < nodes.size(); n++) {
                Map<Request, Double> perHour = new EnumMap<>(Request.class);
                for (Request r : Request.values()) {
                    perHour.put(r, (stores.get(n).requestCounts().get(r) - before.get(n).get(r)) / hours);
                }
                // S3 Standard: PUT, LIST $0.005 per 1,000; GET, HEAD $0.0004 per 1,000; DELETE free; 720 hours a month
                double month = 720 * ((perHour.get(Request.PUT) + perHour.get(Request.LIST)) * 0.005
                        + (perHour.get(Request.GET) + perHour.get(Request.HEAD)) * 0.0004) / 1000;
                dollarsPerMonth += month;
                System.out.printf("  %s %-11s %s -> $%.2f a month%n", nodes.get(n).nodeId(),
                        nodes.get(n).status().state(), perHour, month);
                boolean isMaster = nodes.get(n).status().state() == ManagementNodeState.MASTER;
                // one HEAD per poll; a GET of the master's record per poll on a standby; a PUT every T/5 or T/3
                assertThat(perHour.get(Request.HEAD)).isCloseTo(3600.0, org.assertj.core.data.Offset.offset(10.0));
                // (the master's housekeeping, every few minutes, adds a LIST or two and a GET per record)
                assertThat(perHour.get(Request.GET)).isCloseTo(isMaster ? 0 : 3600.0, org.assertj.core.data.Offset.offset(60.0));
                assertThat(perHour.get(Request.PUT)).isCloseTo(isMaster ? 600.0 : 360.0, org.assertj.core.data.Offset.offset(10.0));
            }
            System.out.printf("  three nodes: $%.2f a month%n", dollarsPerMonth);
            assertThat(dollarsPerMonth).isLessThanOrEqualTo(12.0);
            nodes.forEach(HaNode::stop);
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
