package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tandem.ha.api.store.StoreException;

class FolderPlaneStoreTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putReadListDelete() throws Exception {
        FolderPlaneStore store = new FolderPlaneStore(dir);
        store.open(List.of("plane/nodes/"));
        assertThat(store.read("plane/nodes/a")).isEmpty();
        assertThat(store.exists("plane/nodes/a")).isFalse();
        store.put("plane/nodes/a", b("one"));
        store.put("plane/nodes/a", b("two"));
        store.put("plane/nodes/b", b("x"));
        store.put("plane/other", b("y"));
        assertThat(new String(store.read("plane/nodes/a").orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThat(store.read("plane/nodes/a").orElseThrow().lastModified()).isPositive();
        assertThat(store.exists("plane/nodes/a")).isTrue();
        assertThat(store.list("plane/nodes/")).containsExactly("plane/nodes/a", "plane/nodes/b");
        assertThatThrownBy(() -> store.list("missing/")).isInstanceOf(StoreException.class);
        store.delete("plane/nodes/a");
        store.delete("plane/nodes/a");
        assertThat(store.list("plane/nodes/")).containsExactly("plane/nodes/b");
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(".tmp-"))).isEmpty();
        }
    }

    @Test
    void listingIsNeverCutShortByConcurrentWrites() throws Exception {
        FolderPlaneStore store = new FolderPlaneStore(dir);
        store.open(List.of("plane/nodes/"));
        for (String k : new String[] {"a", "b", "c", "d"}) {
            store.put("plane/nodes/" + k, b(k));
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            FolderPlaneStore other = new FolderPlaneStore(dir);
            int i = 0;
            while (!stop.get()) {
                try {
                    other.put("plane/nodes/" + "abcd".charAt(i++ % 4), b("x" + i)); // temp files come and go
                } catch (StoreException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 2000; i++) {
                assertThat(store.list("plane/nodes/")).as("listing %d", i)
                        .containsExactly("plane/nodes/a", "plane/nodes/b", "plane/nodes/c", "plane/nodes/d");
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void keysCannotEscapeTheFolder() {
        FolderPlaneStore store = new FolderPlaneStore(dir);
        assertThatThrownBy(() -> store.put("../evil", b("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactlyOneConcurrentCreatorWins() throws Exception {
        FolderPlaneStore store = new FolderPlaneStore(dir);
        store.open(List.of("plane/epochs/"));
        int threads = 16;
        for (int round = 0; round < 20; round++) {
            String key = "plane/epochs/" + round;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String content = "writer-" + t;
                results.add(pool.submit(() -> {
                    go.await();
                    return new FolderPlaneStore(dir).createIfAbsent(key, b(content));
                }));
            }
            go.countDown();
            int winners = 0;
            String winner = null;
            for (int t = 0; t < threads; t++) {
                if (results.get(t).get(10, TimeUnit.SECONDS)) {
                    winners++;
                    winner = "writer-" + t;
                }
            }
            pool.shutdown();
            assertThat(winners).as("round %d", round).isEqualTo(1);
            assertThat(new String(store.read(key).orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo(winner);
        }
    }

    @Test
    void writesNeverRecreateAFolderThatHasGone() throws Exception {
        FolderPlaneStore store = new FolderPlaneStore(dir.resolve("share"));
        store.open(List.of("plane/nodes/"));
        store.put("plane/nodes/a", b("1"));
        Files.delete(dir.resolve("share/plane/nodes/a"));
        Files.delete(dir.resolve("share/plane/nodes"));
        assertThatThrownBy(() -> store.put("plane/nodes/a", b("2"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.createIfAbsent("plane/nodes/a", b("2"))).isInstanceOf(StoreException.class);
    }

    @Test
    void subFoldersAreMadeOnlyBelowAnOpenedFolderThatStillExists() throws Exception {
        FolderPlaneStore store = new FolderPlaneStore(dir.resolve("share"));
        store.open(List.of("state/values/"));
        store.put("state/values/app/v1", b("1"));
        assertThat(store.list("state/values/other/")).isEmpty();
        assertThat(store.read("state/values/other/v1")).isEmpty();
        try (var files = Files.walk(dir.resolve("share/state"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThatThrownBy(() -> store.put("state/values/app/v2", b("2"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.list("state/values/app/")).isInstanceOf(StoreException.class);
    }

    /** A delete removes the folders it left empty (a listing walks every folder), never an opened one. */
    @Test
    void aDeleteRemovesTheFoldersItLeftEmpty() throws Exception {
        FolderPlaneStore store = new FolderPlaneStore(dir.resolve("share"));
        store.open(List.of("state/values/"));
        store.put("state/values/seg1/v1", b("1"));
        store.put("state/values/seg2/v1", b("2"));
        store.put("state/values/seg2/v2", b("2"));
        store.delete("state/values/seg1/v1");
        store.delete("state/values/seg2/v1");
        assertThat(dir.resolve("share/state/values/seg1")).doesNotExist();
        assertThat(dir.resolve("share/state/values/seg2")).isDirectory();
        store.delete("state/values/seg2/v2");
        assertThat(dir.resolve("share/state/values/seg2")).doesNotExist();
        assertThat(dir.resolve("share/state/values")).isDirectory(); // opened: stays, even empty
        assertThat(store.list("state/values/")).isEmpty();
        store.put("state/values/seg1/v3", b("3")); // the folder is made again
        assertThat(store.read("state/values/seg1/v3")).isPresent();
    }

    @Test
    void aMissingFolderIsAnOutageNotAnEmptyStore() throws Exception {
        FolderPlaneStore store = new FolderPlaneStore(dir.resolve("gone"));
        assertThatThrownBy(() -> store.exists("plane/epochs/1")).isInstanceOf(StoreException.class)
                .hasMessageContaining("missing or not reachable");
        assertThatThrownBy(() -> store.list("plane/nodes/")).isInstanceOf(StoreException.class);
    }

    // ------------------------------------------------------------------ a filesystem that fails (FaultyFileSystem)

    private static FileSystemException error(Path p, String reason) {
        return new FileSystemException(p.toString(), null, reason);
    }

    /** An NFS mount that cannot tell whether the next epoch's claim exists (ESTALE) must not answer "absent". */
    @Test
    void existsFailsWhenExistenceCannotBeDetermined() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        FolderPlaneStore store = new FolderPlaneStore(fs.path(dir));
        store.open(List.of("plane/epochs/"));
        Path claim = dir.resolve("plane/epochs/0000000000000000002");
        fs.fault((op, p) -> p.equals(claim) ? error(p, "Stale file handle") : null);
        assertThatThrownBy(() -> store.exists("plane/epochs/0000000000000000002")).isInstanceOf(StoreException.class)
                .hasMessageContaining("Stale file handle");
        fs.fault((op, p) -> null);
        assertThat(store.exists("plane/epochs/0000000000000000002")).isFalse();
        store.put("plane/epochs/0000000000000000002", b("x"));
        assertThat(store.exists("plane/epochs/0000000000000000002")).isTrue();
    }

    /** A folder whose attributes cannot be read (EIO) is an outage, not an empty folder. */
    @Test
    void aFolderThatCannotBeReadIsAnOutageNotAnEmptyOne() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        FolderPlaneStore store = new FolderPlaneStore(fs.path(dir));
        store.open(List.of("state/values/"));
        store.put("state/values/app/v1", b("1"));
        Path app = dir.resolve("state/values/app");
        fs.fault((op, p) -> p.equals(app) && !op.equals("newDirectoryStream") ? error(p, "Input/output error") : null);
        assertThatThrownBy(() -> store.list("state/values/app/")).isInstanceOf(StoreException.class)
                .hasMessageContaining("Input/output error");
        assertThatThrownBy(() -> store.exists("state/values/app/v2")).isInstanceOf(StoreException.class);
        fs.fault((op, p) -> null);
        assertThat(store.list("state/values/app/")).containsExactly("state/values/app/v1");
    }

    /** Where hard links are not supported, Files.createLink throws FileSystemException (EPERM, ENOTSUP). */
    @Test
    void aShareWithoutHardLinksFallsBackToCreateNew() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        FolderPlaneStore store = new FolderPlaneStore(fs.path(dir));
        store.open(List.of("plane/epochs/"));
        fs.fault((op, p) -> op.equals("createLink") ? error(p, "Operation not permitted") : null);
        assertThat(store.createIfAbsent("plane/epochs/1", b("first"))).isTrue();
        assertThat(store.createIfAbsent("plane/epochs/1", b("second"))).isFalse();
        fs.fault((op, p) -> op.equals("createLink") ? error(p, "Operation not supported") : null);
        assertThat(store.createIfAbsent("plane/epochs/2", b("other"))).isTrue();
        assertThat(new String(store.read("plane/epochs/1").orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo("first");
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(".tmp-"))).isEmpty();
        }
    }

    /** Any other failure of the link is an error: the link may or may not have been made. */
    @Test
    void aLinkThatFailsForAnotherReasonIsAnError() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        FolderPlaneStore store = new FolderPlaneStore(fs.path(dir));
        store.open(List.of("plane/epochs/"));
        fs.fault((op, p) -> op.equals("createLink") ? error(p, "Input/output error") : null);
        assertThatThrownBy(() -> store.createIfAbsent("plane/epochs/1", b("x"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("Input/output error");
        assertThat(dir.resolve("plane/epochs/1")).doesNotExist();
    }

    /** A rename or a link is durable only once its folder is fsynced. */
    @Test
    void theFolderIsFsyncedAfterEveryRenameAndLink() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        FolderPlaneStore store = new FolderPlaneStore(fs.path(dir));
        store.open(List.of("plane/nodes/", "plane/epochs/"));
        fs.fsyncedFolders.clear();
        store.put("plane/nodes/a", b("1"));
        assertThat(fs.fsyncedFolders).as("after the rename").containsExactly(dir.resolve("plane/nodes"));
        assertThat(store.createIfAbsent("plane/epochs/1", b("c"))).isTrue();
        assertThat(fs.fsyncedFolders).as("after the link").containsExactly(dir.resolve("plane/nodes"), dir.resolve("plane/epochs"));
    }

    /** Some filesystems refuse to open or fsync a folder: writes still work (logged once). */
    @Test
    void aFilesystemThatRefusesToFsyncAFolderStillWorks() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        FolderPlaneStore store = new FolderPlaneStore(fs.path(dir));
        store.open(List.of("plane/nodes/", "plane/epochs/"));
        Path nodes = dir.resolve("plane/nodes");
        Path epochs = dir.resolve("plane/epochs");
        fs.fsyncedFolders.clear();
        fs.fault((op, p) -> op.equals("newFileChannel") && p.equals(nodes) ? error(p, "Is a directory")
                : op.equals("force") && p.equals(epochs) ? error(p, "Invalid argument") : null);
        store.put("plane/nodes/a", b("1"));
        store.put("plane/nodes/a", b("2"));
        assertThat(store.createIfAbsent("plane/epochs/1", b("c"))).isTrue();
        assertThat(new String(store.read("plane/nodes/a").orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo("2");
        assertThat(fs.fsyncedFolders).isEmpty();
    }

    /**
     * A folder a write creates (a new state key) is made durable in its parent before the write is acknowledged:
     * a file fsynced into a folder whose name was never made durable can vanish with it in a crash of the machine.
     */
    @Test
    void everyFolderItCreatesIsMadeDurableInItsParent() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        Path root = dir.resolve("shared/store");
        FolderPlaneStore store = new FolderPlaneStore(fs.path(root));
        store.open(List.of("state/values/"));
        assertThat(fs.fsyncedFolders).as("open").contains(dir, dir.resolve("shared"), root, root.resolve("state"));

        fs.fsyncedFolders.clear();
        store.put("state/values/key/1-1", b("v"));
        assertThat(fs.fsyncedFolders).as("a new key").containsExactlyInAnyOrder(root.resolve("state/values"),
                root.resolve("state/values/key"));

        fs.fsyncedFolders.clear();
        store.put("state/values/key/1-2", b("w"));
        assertThat(fs.fsyncedFolders).as("a key that has its folder").containsExactly(root.resolve("state/values/key"));

        fs.fsyncedFolders.clear();
        assertThat(store.createIfAbsent("state/values/other/a/1-1", b("c"))).isTrue();
        assertThat(fs.fsyncedFolders).as("two new folders").containsExactlyInAnyOrder(root.resolve("state/values"),
                root.resolve("state/values/other"), root.resolve("state/values/other/a"));
    }

    @Test
    void aFolderAnotherProcessMadeIsMadeDurableInItsParentBeforeTheFirstWriteIntoItIsAcknowledged() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        Path root = dir.resolve("store");
        FolderPlaneStore store = new FolderPlaneStore(fs.path(root));
        store.open(List.of("state/values/"));
        // another process made the key's folder an instant ago and has not fsynced its parent yet
        Files.createDirectories(root.resolve("state/values/theirs"));
        fs.fsyncedFolders.clear();
        store.put("state/values/theirs/1-1", b("v"));
        assertThat(fs.fsyncedFolders).as("the first write").containsExactlyInAnyOrder(root.resolve("state/values"),
                root.resolve("state/values/theirs"));

        fs.fsyncedFolders.clear();
        store.put("state/values/theirs/1-2", b("w"));
        assertThat(fs.fsyncedFolders).as("later writes").containsExactly(root.resolve("state/values/theirs"));
    }
}
