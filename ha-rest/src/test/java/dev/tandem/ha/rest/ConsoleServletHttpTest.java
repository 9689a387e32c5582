package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The console's static files beside the API, as mounted in Karaf. (The browser test is in itests.) */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleServletHttpTest {

    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();
    private HttpHarness http;

    @BeforeAll
    void start() throws Exception {
        http = new HttpHarness(ha, RestSettings.DEFAULTS);
    }

    @AfterAll
    void stop() throws Exception {
        http.close();
    }

    @Test
    void thePageHoldsNoDataAndLoadsOnlyItsOwnFiles() throws Exception {
        HttpResponse<String> page = http.send("GET", "/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("Tandem HA console").contains("/console.js").contains("/console.css")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain(FakeHighAvailabilityService.OWN_ID);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'").contains("connect-src 'self'"));
        assertThat(page.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(http.send("GET", "/index.html", null).body()).isEqualTo(page.body());
        assertThat(page.body()).contains("id=\"applications\" hidden").contains("id=\"apps-banner\"");
    }

    @Test
    void scriptAndStyleSheetAreServedWithTheirTypes() throws Exception {
        HttpResponse<String> js = http.send("GET", "/console.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(js.body()).contains("/v1/server/ha/states").contains("sessionStorage");
        // the applications, read with Brooklyn's API and the same credentials; never as HTML (no markup injection)
        assertThat(js.body()).contains("'/v1/applications'", "'sensors', 'current-state'", "'children'",
                "Read-only copy: this ", "it keeps no copy of the managed applications").doesNotContain("innerHTML");

        HttpResponse<String> css = http.send("GET", "/console.css", null);
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    }

    @Test
    void otherPathsAre404AndTheApiStillNeedsCredentials() throws Exception {
        assertThat(http.send("GET", "/etc/users.properties", null).statusCode()).isEqualTo(404);
        assertThat(http.send("GET", "/console.js/../../x", null).statusCode()).isIn(400, 404);
        assertThat(http.send("GET", "/v1/server/ha/states", null).statusCode()).isEqualTo(401);
        assertThat(http.send("GET", "/v1/server/ha/states", "viewer").statusCode()).isEqualTo(200);
    }
}
