package dev.tandem.ha.persistence.jclouds;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.core.FolderPlaneStore;

/** The contract on ha-core's embedded folder store. */
class FolderStoreContractTest extends PlaneStoreContractTest {
    @TempDir
    Path temp;
    private Path root;

    @Override
    protected PlaneStore newLocation() {
        root = temp.resolve("store");
        return new FolderPlaneStore(root);
    }

    @Override
    protected PlaneStore peer() {
        return new FolderPlaneStore(root);
    }

    @Override
    protected void makeStoreDisappear() throws Exception {
        Files.move(root, temp.resolve("unmounted"));
    }

    @Override
    protected void bringStoreBack() throws Exception {
        Files.move(temp.resolve("unmounted"), root);
    }

    @Override
    protected PlaneStore.ClaimSupport expectedClaimSupport() {
        return PlaneStore.ClaimSupport.ATOMIC;
    }
}
