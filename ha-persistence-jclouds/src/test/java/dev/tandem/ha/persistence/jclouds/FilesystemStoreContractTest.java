package dev.tandem.ha.persistence.jclouds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import dev.tandem.jclouds.BlobProviders;

/** The contract on jclouds' {@code filesystem} provider in a temporary folder; a container is a sub-folder. */
class FilesystemStoreContractTest extends JcloudsContractTest {
    @TempDir
    static Path basedir;
    private static BlobStoreContext context;

    @BeforeAll
    static void createContext() {
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", basedir.toString());
        context = BlobProviders.newContext("filesystem", null, null, null, p);
    }

    @AfterAll
    static void closeContext() {
        BlobProviders.close(context);
    }

    @Override
    protected BlobStoreContext context() {
        return context;
    }

    @Override
    protected String providerId() {
        return "filesystem";
    }

    @Override
    protected String endpoint() {
        return basedir.toString();
    }

    @Override
    protected void makeStoreDisappear() throws Exception {
        Files.move(basedir.resolve(container), basedir.resolve(container + "-unmounted"));
    }

    @Override
    protected void bringStoreBack() throws Exception {
        Files.move(basedir.resolve(container + "-unmounted"), basedir.resolve(container));
    }
}
