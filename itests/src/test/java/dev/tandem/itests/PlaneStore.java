package dev.tandem.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tandem.ha.persistence.jclouds.S3ProxyServer;

/**
 * The store a multi-process test's nodes share: a fresh folder, or a fresh prefix on S3Proxy (configured as
 * S3ProxyPlaneIT does: a named location in etc/brooklyn.cfg and the launcher's persistenceLocation).
 */
abstract class PlaneStore {

    /** The folder {@link KarafNode#unpack} writes into the launcher's configuration. */
    abstract Path folder();

    /** Configures an unpacked node for this store, before its first bin/start. */
    abstract void configure(KarafNode node) throws IOException;

    abstract String describe();

    static PlaneStore folder(Path dir) throws IOException {
        KarafNode.deleteTree(dir);
        Files.createDirectories(dir);
        return new PlaneStore() {
            @Override
            Path folder() {
                return dir;
            }

            @Override
            void configure(KarafNode node) {
                // unpack set persistenceDir to the folder already
            }

            @Override
            String describe() {
                return "folder " + dir;
            }
        };
    }

    /**
     * A prefix of its own on the shared S3Proxy. The timed claim's write bound W is 250 ms, as in S3ProxyPlaneIT
     * (the default pollPeriod / 2 makes a claim too long for a takeover within heartbeatTimeout + 2 x pollPeriod).
     */
    static PlaneStore s3Proxy(Path unusedFolder, String prefix) throws IOException {
        S3ProxyServer s3 = S3ProxyServer.shared();
        Files.createDirectories(unusedFolder);
        String location = "itest-s3proxy";
        return new PlaneStore() {
            @Override
            Path folder() {
                return unusedFolder;
            }

            @Override
            void configure(KarafNode node) throws IOException {
                String key = "brooklyn.location.named." + location;
                Map<String, String> cfg = new LinkedHashMap<>();
                cfg.put(key, "jclouds:s3:" + s3.endpoint());
                cfg.put(key + ".identity", S3ProxyServer.IDENTITY);
                cfg.put(key + ".credential", S3ProxyServer.CREDENTIAL);
                cfg.put(key + ".jclouds.s3.virtual-host-buckets", "false");
                cfg.put("tandem.store.maxWriteLatency", "250ms");
                KarafNode.setProperties(node.home().resolve("etc/brooklyn.cfg"), cfg);
                Map<String, String> launcher = new LinkedHashMap<>();
                launcher.put("persistenceLocation", location);
                launcher.put("persistenceDir", prefix);
                KarafNode.setProperties(node.home().resolve("etc/org.apache.brooklyn.osgilauncher.cfg"), launcher);
            }

            @Override
            String describe() {
                return "S3Proxy " + s3.endpoint() + " " + prefix;
            }
        };
    }
}
