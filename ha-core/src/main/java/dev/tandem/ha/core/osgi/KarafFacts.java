package dev.tandem.ha.core.osgi;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.osgi.framework.BundleContext;

/** What the HA component reads of the Karaf it runs in. */
final class KarafFacts {
    private KarafFacts() {
    }

    /** Karaf's base folder: relative paths of the configuration (persistenceDir) are resolved against it. */
    static Path baseDir() {
        return Paths.get(System.getProperty("karaf.base", System.getProperty("user.dir")));
    }

    /** Tandem's version as the bundle's manifest states it. */
    static String versionOf(BundleContext context) {
        String v = context.getBundle().getHeaders().get("Tandem-Version");
        return v != null ? v : context.getBundle().getVersion().toString();
    }
}
