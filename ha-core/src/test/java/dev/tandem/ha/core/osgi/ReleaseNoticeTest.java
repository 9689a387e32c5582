package dev.tandem.ha.core.osgi;

import static org.assertj.core.api.Assertions.assertThat;
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

    /** The notice is a plain HTTP/1.1 POST over a socket; its answer's status is read back. */
    @Test
    void theNoticeIsAPlainPostAndItsStatusIsRead() throws Exception {
        HttpServer rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<String> seen = new AtomicReference<>();
        rest.createContext(ReleaseNotice.PATH, exchange -> {
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        rest.start();
        try {
            int port = rest.getAddress().getPort();
            assertThat(ReleaseNotice.post(java.net.URI.create("http://127.0.0.1:" + port + ReleaseNotice.PATH))).isEqualTo(204);
            assertThat(seen.get()).isEqualTo("POST " + ReleaseNotice.PATH);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReleaseNotice.post(java.net.URI.create("ftp://127.0.0.1/x")))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("not an http(s) URI");
        } finally {
            rest.stop(0);
        }
    }
}
