package dev.tandem.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import javax.inject.Inject;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/** Checks, run inside a pax-exam Karaf, that Tandem is up: bundles, DS components and the REST API. */
abstract class TandemInKaraf {

    static final String USER = "itest";
    static final String PASSWORD = "itest-secret";
    static final String[] TANDEM_BUNDLES = {"dev.tandem.ha.api", "dev.tandem.ha.core", "dev.tandem.ha.rest"};
    static final String[] TANDEM_COMPONENT_BUNDLES = {"dev.tandem.ha.core", "dev.tandem.ha.rest"};
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected ConfigurationAdmin configAdmin;

    /** The bundles ACTIVE and every DS component of ha-core and ha-rest ACTIVE. */
    void assertTandemActive() {
        for (String bsn : TANDEM_BUNDLES) {
            awaitBundleActive(bsn);
        }
        for (String bsn : TANDEM_COMPONENT_BUNDLES) {
            // in its own class: a stock Karaf has no SCR (nor its packages) until feature tandem brings it
            ScrChecks.awaitComponentsActive(bundleContext, awaitBundleActive(bsn), READY_TIMEOUT);
        }
    }

    /** A single node in AUTO mode elects itself; GET /v1/server/ha/state needs basic auth. */
    void assertRestAnswersMaster() throws Exception {
        URI state = URI.create("http://127.0.0.1:" + httpPort() + "/v1/server/ha/state");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        HttpResponse<String> ok = await("GET " + state + " answers MASTER").atMost(READY_TIMEOUT).pollInterval(POLL)
            .until(() -> get(client, state, basic(USER, PASSWORD)),
                r -> r != null && r.statusCode() == 200 && r.body().contains("\"MASTER\""));
        assertEquals("\"MASTER\"", ok.body().trim());

        HttpResponse<String> noAuth = get(client, state, null);
        assertEquals("GET " + state + " without auth", 401, noAuth == null ? -1 : noAuth.statusCode());
        String challenge = noAuth.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue("WWW-Authenticate: " + challenge, challenge.startsWith("Basic"));

        HttpResponse<String> badAuth = get(client, state, basic(USER, "not-" + PASSWORD));
        assertEquals("GET " + state + " with a wrong password", 401, badAuth == null ? -1 : badAuth.statusCode());
    }

    int httpPort() throws IOException {
        Object port = configAdmin.getConfiguration("org.ops4j.pax.web", null).getProperties().get("org.osgi.service.http.port");
        return Integer.parseInt(String.valueOf(port).trim());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** GET; null if nothing answers (yet). */
    private static HttpResponse<String> get(HttpClient client, URI uri, String auth) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
        if (auth != null) {
            request.header("Authorization", auth);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException notYet) {
            return null;
        }
    }

    Bundle awaitBundleActive(String bsn) {
        return await("bundle " + bsn + " ACTIVE").atMost(READY_TIMEOUT).pollInterval(POLL)
            .until(() -> bundle(bsn), b -> b != null && b.getState() == Bundle.ACTIVE);
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : bundleContext.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }
}
