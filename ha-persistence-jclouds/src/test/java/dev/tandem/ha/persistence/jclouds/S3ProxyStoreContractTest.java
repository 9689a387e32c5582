package dev.tandem.ha.persistence.jclouds;

import java.util.Properties;

import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.tandem.jclouds.BlobProviders;

/**
 * The contract on the generic {@code s3} provider over HTTP, against S3Proxy on 127.0.0.1, under a key
 * prefix. S3Proxy 2.6.0 ignores {@code If-None-Match} on PUT, so the self-test must choose the timed claim.
 */
class S3ProxyStoreContractTest extends JcloudsContractTest {
    private static BlobStoreContext context;
    private static S3ProxyServer server;

    @BeforeAll
    static void createContext() {
        server = S3ProxyServer.shared();
        context = s3Context(server.endpoint());
    }

    static BlobStoreContext s3Context(String endpoint) {
        Properties p = new Properties();
        p.setProperty("jclouds.s3.virtual-host-buckets", "false");
        p.setProperty("jclouds.max-retries", "1");
        p.setProperty("jclouds.so-timeout", "5000");
        p.setProperty("jclouds.connection-timeout", "5000");
        return BlobProviders.newContext("s3", endpoint, S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL, p);
    }

    @AfterAll
    static void closeContext() {
        BlobProviders.close(context);
    }

    S3ProxyStoreContractTest() {
        prefix = "tandem/plane-a";
    }

    @Override
    protected BlobStoreContext context() {
        return context;
    }

    @Override
    protected String providerId() {
        return "s3";
    }

    @Override
    protected String endpoint() {
        return server.endpoint();
    }
}
