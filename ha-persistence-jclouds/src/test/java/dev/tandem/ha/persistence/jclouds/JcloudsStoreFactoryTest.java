package dev.tandem.ha.persistence.jclouds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.jclouds.BlobProviders;

/** Configuration the Brooklyn way, and its errors; no store here is ever asked anything but loopback. */
class JcloudsStoreFactoryTest {
    private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY-SECRET";
    private final JcloudsStoreFactory factory = new JcloudsStoreFactory();
    @TempDir
    Path temp;

    @AfterEach
    void close() {
        factory.deactivate();
    }

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private InvalidValueException refused(String location, String dir, Map<String, Object> p) {
        try {
            factory.create(location, dir, p);
        } catch (InvalidValueException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
            return e;
        }
        throw new AssertionError("accepted " + location + " " + p.keySet());
    }

    @Test
    void theProvidersThatResolvedFromMavenAreInstalled() {
        System.out.println("jclouds blob store providers and APIs: " + BlobProviders.all().keySet());
        assertThat(BlobProviders.all()).containsKeys("transient", "filesystem", "s3", "aws-s3", "azureblob",
                "google-cloud-storage", "openstack-swift");
        assertThat(BlobProviders.find("s3").orElseThrow().needsCredential()).isTrue();
    }

    @Test
    void acceptsNamedLocationsAndJcloudsSpecs() {
        Map<String, Object> p = props("brooklyn.location.named.my-s3", "aws-s3:eu-west-1");
        assertThat(factory.accepts("my-s3", p)).isTrue();
        assertThat(factory.accepts("jclouds:s3:http://127.0.0.1:9000", p)).isTrue();
        assertThat(factory.accepts("aws-s3:eu-west-1", p)).isTrue();
        assertThat(factory.accepts("undefined-name", p)).as("so that the error names the key").isTrue();
        assertThat(factory.accepts("", p)).isFalse();
        assertThat(factory.accepts("nosuch:thing", p)).isFalse();
    }

    @Test
    void anUndefinedNameIsRefusedListingTheDefinedOnes() {
        InvalidValueException e = refused("my-s4", "bucket", props("brooklyn.location.named.my-s3", "aws-s3:eu-west-1",
                "brooklyn.location.named.my-s3.identity", "AKIA"));
        assertThat(e.field()).isEqualTo("persistenceLocation");
        assertThat(e.getMessage()).contains("'my-s4'", "brooklyn.location.named.NAME", "defined: my-s3");
    }

    @Test
    void anUnknownProviderIsRefusedListingTheInstalledOnes() {
        InvalidValueException e = refused("x", "bucket", props("brooklyn.location.named.x", "aws-s4:eu-west-1"));
        assertThat(e.field()).isEqualTo("brooklyn.location.named.x");
        assertThat(e.getMessage()).contains("aws-s4", "aws-s3", "azureblob", "filesystem", "s3", "transient");
        InvalidValueException spec = refused("jclouds:nosuch", "bucket", props());
        assertThat(spec.field()).isEqualTo("persistenceLocation");
    }

    @Test
    void missingCredentialsAreRefusedNamingTheKey() {
        InvalidValueException noIdentity = refused("x", "bucket", props("brooklyn.location.named.x", "aws-s3:eu-west-1"));
        assertThat(noIdentity.field()).isEqualTo("brooklyn.location.named.x.identity");
        assertThat(noIdentity.getMessage()).contains("brooklyn.location.jclouds.aws-s3.identity");

        InvalidValueException noCredential = refused("x", "bucket", props("brooklyn.location.named.x", "aws-s3",
                "brooklyn.location.named.x.identity", "AKIAEXAMPLE"));
        assertThat(noCredential.field()).isEqualTo("brooklyn.location.named.x.credential");

        InvalidValueException spec = refused("jclouds:azureblob", "container", props());
        assertThat(spec.field()).isEqualTo("brooklyn.location.jclouds.azureblob.identity");
    }

    @Test
    void badContainersEndpointsAndBoundsAreRefused() {
        Map<String, Object> p = props("brooklyn.location.named.x", "jclouds:s3:http://127.0.0.1:1",
                "brooklyn.location.named.x.identity", "id", "brooklyn.location.named.x.credential", SECRET);
        for (String bad : List.of("Bad_Bucket", "ab", "bucket/../x", "-bucket", "bucket//x", "bucket/a b")) {
            assertThat(refused("x", bad, p).field()).as(bad).isEqualTo("persistenceDir");
        }
        Map<String, Object> endpoint = new HashMap<>(p);
        endpoint.put("brooklyn.location.named.x.endpoint", "ftp://127.0.0.1/x");
        assertThat(refused("x", "bucket", endpoint).field()).isEqualTo("brooklyn.location.named.x.endpoint");
        Map<String, Object> bound = new HashMap<>(p);
        bound.put("tandem.store.maxWriteLatency", "soon");
        assertThat(refused("x", "bucket", bound).field()).isEqualTo("tandem.store.maxWriteLatency");
        bound.put("tandem.store.maxWriteLatency", "6m");
        assertThat(refused("x", "bucket", bound).field()).as("above the timed claim's largest bound")
                .isEqualTo("tandem.store.maxWriteLatency");
        assertThat(refused("jclouds:filesystem", "bucket", props()).field())
                .isEqualTo("brooklyn.location.jclouds.filesystem.jclouds.filesystem.basedir");
    }

    @Test
    void settingsComeFromTheNamedLocationThenTheProviderScope() {
        Map<String, Object> p = props(
                "brooklyn.location.named.local", "jclouds:s3:http://127.0.0.1:1",
                "brooklyn.location.jclouds.s3.identity", "scoped-identity",
                "brooklyn.location.jclouds.s3.credential", SECRET,
                "brooklyn.location.named.local.jclouds.so-timeout", "1500");
        PlaneStore store = factory.create("local", "my-bucket/some/prefix", p);
        assertThat(store.describe()).isEqualTo("s3 http://127.0.0.1:1 my-bucket/some/prefix (claims not tested yet)");

        PlaneStore fs = factory.create("jclouds:filesystem:" + temp, "", props());
        assertThat(fs.describe()).startsWith("filesystem " + temp + " brooklyn-persisted-state");

        PlaneStore az = factory.create("az", "tandem", props("brooklyn.location.named.az", "azureblob",
                "brooklyn.location.named.az.identity", "account", "brooklyn.location.named.az.credential", SECRET,
                "brooklyn.location.named.az.endpoint", "http://127.0.0.1:1/account"));
        assertThat(az.describe()).startsWith("azureblob http://127.0.0.1:1/account tandem");
    }

    /** Nothing a user sees from a failing store carries the credential, even one put into the endpoint URL. */
    @Test
    void storeFailuresNeverShowCredentials() throws Exception {
        int closedPort = S3ProxyServer.freePort();
        Map<String, Object> p = props(
                "brooklyn.location.named.x", "jclouds:s3:http://user:" + SECRET + "@127.0.0.1:" + closedPort,
                "brooklyn.location.named.x.identity", "AKIDIDENTITY", "brooklyn.location.named.x.credential", SECRET,
                "brooklyn.ha.pollPeriod", "200ms");
        PlaneStore store = factory.create("x", "bucket", p);
        assertThat(store.describe()).doesNotContain(SECRET).doesNotContain("AKIDIDENTITY");
        assertThatThrownBy(() -> store.open(List.of("plane/nodes/"))).isInstanceOf(StoreException.class)
                .satisfies(e -> {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    assertThat(trace.toString()).doesNotContain(SECRET).doesNotContain("AKIDIDENTITY");
                    assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort);
                });
    }

    /** Swift's container listings are eventually consistent, which the timed claim cannot work with. */
    @Test
    void openstackSwiftIsRefusedForTheTimedClaim() {
        InvalidValueException e = refused("jclouds:openstack-swift:http://127.0.0.1:1/v3", "tandem",
                props("brooklyn.location.jclouds.openstack-swift.identity", "project:user",
                        "brooklyn.location.jclouds.openstack-swift.credential", SECRET));
        assertThat(e.field()).isEqualTo("persistenceLocation");
        assertThat(e.getMessage()).contains("openstack-swift", "eventually consistent", "aws-s3", "s3", "azureblob",
                "google-cloud-storage", "filesystem");
    }
}
