package dev.tandem.ha.core.osgi;

import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.core.HaClock;

/**
 * A master that stops tells the standby at once (a POST to its published URI), and the standby reads the plane
 * then, not at its next poll. The poll here is 20 s: without the notice the standby would wait for it.
 */
class ReleaseNoticeTest {
    @TempDir
    Path base;

    private Map<String, Object> config(String nodeUri) {
        Map<String, Object> m = new HashMap<>();
        m.put("persistenceDir", base.resolve("store").toString());
        m.put("brooklyn.ha.pollPeriod", "20s");
        m.put("brooklyn.ha.heartbeatTimeout", "60s");
        m.put("tandem.ha.nodeUri", nodeUri);
        return m;
    }

    @Test
    void aStoppingMasterMakesTheStandbyTakeOverWithoutWaitingForItsPoll() throws Exception {
        AtomicReference<HighAvailabilityComponent> standbyRef = new AtomicReference<>();
        AtomicInteger notices = new AtomicInteger();
        // the standby's REST API, as far as the notice goes: POST /v1/server/ha/notice -> checkPlaneSoon()
        HttpServer rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rest.createContext(ReleaseNotice.PATH, exchange -> {
            if ("POST".equals(exchange.getRequestMethod())) {
                notices.incrementAndGet();
                standbyRef.get().checkPlaneSoon();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        rest.start();
        HighAvailabilityComponent master = new HighAvailabilityComponent(base, "1.0.0", HaClock.SYSTEM,
                config("http://127.0.0.1:9/unused"));
        HighAvailabilityComponent standby = null;
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> master.getState() == ManagementNodeState.MASTER);
            standby = new HighAvailabilityComponent(base, "1.0.0", HaClock.SYSTEM,
                    config("http://127.0.0.1:" + rest.getAddress().getPort()));
            standbyRef.set(standby);
            HighAvailabilityComponent s = standby;
            await().atMost(Duration.ofSeconds(20)).until(() -> s.getState() == ManagementNodeState.HOT_STANDBY);
            master.deactivate();
            // sent while the master stopped; on a loaded machine its answer may come after the sender's bounded wait
            await().atMost(Duration.ofSeconds(5)).until(() -> notices.get() == 1);
            // the standby's next poll is up to 20 s away; the notice makes it read the plane now
            await().atMost(Duration.ofSeconds(10)).until(() -> s.getState() == ManagementNodeState.MASTER);
        } finally {
            if (standby != null) {
                standby.deactivate();
            }
            rest.stop(0);
        }
    }
}
