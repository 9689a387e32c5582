package dev.tandem.ha.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * The embedded default store: a folder, local or on a shared mount. Writes go to a temporary file that is
 * fsynced and then renamed over the target (atomic replace); {@link #createIfAbsent} hard-links the
 * fsynced temporary file to the target, which the filesystem refuses atomically if the target exists.
 * Timestamps are the files' modification times (the clock of the machine, or NFS server, that holds them).
 */
public final class FolderPlaneStore implements PlaneStore {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    /** Folders made by {@link #open}: below them, writes may create sub-folders (one per state key). */
    private final java.util.Set<Path> opened = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FolderPlaneStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return "folder " + root;
    }

    @Override
    public ClaimSupport claimSupport() {
        return ClaimSupport.ATOMIC;
    }

    @Override
    public void open(List<String> prefixes) throws StoreException {
        try {
            Files.createDirectories(root);
            for (String prefix : prefixes) {
                Path folder = root.resolve(prefix).normalize();
                Files.createDirectories(folder);
                opened.add(folder);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the store folder " + root + ": " + e, e);
        }
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        Path file = file(key);
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            return Optional.of(new StoredObject(key, Files.readAllBytes(file), modified));
        } catch (NoSuchFileException e) {
            folderPresent(file.getParent());
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public boolean exists(String key) throws StoreException {
        Path file = file(key);
        if (Files.exists(file)) {
            return true;
        }
        folderPresent(file.getParent());
        return false;
    }

    @Override
    public void put(String key, byte[] content) throws StoreException {
        Path file = file(key);
        Path temp = null;
        try {
            temp = writeTemp(file, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StoreException("folder " + root + " does not support atomic rename", e);
            }
            temp = null;
        } catch (IOException e) {
            throw failure("write", key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        Path file = file(key);
        Path temp = null;
        try {
            temp = writeTemp(file, content);
            try {
                Files.createLink(file, temp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException e) {
                // No hard links (some network filesystems): create-new is atomic too, but a reader could
                // briefly see an empty file; records that do not parse are treated as absent.
                try {
                    Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            StandardOpenOption.SYNC);
                    return true;
                } catch (FileAlreadyExistsException e2) {
                    return false;
                }
            }
        } catch (IOException e) {
            throw failure("create", key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public void delete(String key) throws StoreException {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public List<String> list(String prefix) throws StoreException {
        Path dir = root.resolve(prefix.endsWith("/") ? prefix : prefix.substring(0, Math.max(0, prefix.lastIndexOf('/') + 1)));
        if (!folderPresent(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try {
            collect(dir, prefix, keys);
        } catch (IOException e) {
            throw new StoreException("cannot list " + prefix + " in " + root + ": " + e, e);
        }
        keys.sort(null);
        return keys;
    }

    /**
     * Creates no folder that {@link #open} did not make, except below one it made and that still exists:
     * a missing opened folder means the store is gone.
     */
    /**
     * Adds the keys below {@code dir}. Entry by entry, so that a temporary file renamed away during the
     * listing (a concurrent write) is skipped instead of cutting the listing short.
     */
    private void collect(Path dir, String prefix, List<String> keys) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    collect(entry, prefix, keys);
                } else {
                    String key = root.relativize(entry).toString().replace('\\', '/');
                    if (key.startsWith(prefix)) {
                        keys.add(key);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // a folder removed while listing holds no keys
        }
    }

    private Path writeTemp(Path file, byte[] content) throws IOException {
        Path parent = file.getParent();
        if (!Files.isDirectory(parent)) {
            for (Path folder : opened) {
                if (parent.startsWith(folder) && Files.isDirectory(folder)) {
                    Files.createDirectories(parent);
                    break;
                }
            }
        }
        Path temp = file.resolveSibling(TEMP_PREFIX + file.getFileName() + "-" + UUID.randomUUID());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        return temp;
    }

    /**
     * Whether a folder exists. A folder below one made by {@link #open} may simply not exist yet; any
     * other missing folder, or a missing opened one, means the store is not there (an unmounted share).
     */
    private boolean folderPresent(Path folder) throws StoreException {
        if (Files.isDirectory(folder)) {
            return true;
        }
        for (Path made : opened) {
            if (folder.startsWith(made) && !folder.equals(made) && Files.isDirectory(made)) {
                return false;
            }
        }
        throw new StoreException("store folder " + folder + " is missing or not reachable (is the share mounted?)");
    }

    private Path file(String key) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("invalid store key: " + key);
        }
        return root.resolve(key);
    }

    private StoreException failure(String op, String key, IOException e) {
        return new StoreException("cannot " + op + " " + key + " in " + root + ": " + e, e);
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temp file is harmless: listings skip it
            }
        }
    }
}
