package dev.tandem.ha.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * The embedded default store: a folder, local or on a shared mount. Writes go to a temporary file that is
 * fsynced and then renamed over the target (atomic replace); {@link #createIfAbsent} hard-links the
 * fsynced temporary file to the target, which the filesystem refuses atomically if the target exists.
 * After a rename or a link the folder is fsynced too, so that the new name survives a crash, and so is the
 * parent of every folder a write creates (a state key is a folder of versions): a file fsynced into a folder whose
 * own name was never made durable can vanish with it (filesystems that refuse to fsync a folder are tolerated,
 * logged once). Where hard links are not supported (the link
 * fails with "Operation not permitted", "Operation not supported" or "Function not implemented"), a claim is
 * a create-new of the target instead; any other failure of the link is an error.
 *
 * <p>Existence is never guessed: a file or folder whose attributes cannot be read for any reason but
 * "no such file" (EIO, ESTALE, EACCES) fails the request with {@link StoreException}, so an unreadable claim
 * is never taken for an absent one. Timestamps are the files' modification times (the clock of the machine,
 * or NFS server, that holds them).
 */
public final class FolderPlaneStore implements PlaneStore {
    private static final Logger LOG = LoggerFactory.getLogger(FolderPlaneStore.class);
    /** The reasons (strerror texts) with which link(2) says that the filesystem has no hard links. */
    private static final Set<String> NO_HARD_LINKS = Set.of("Operation not permitted", "Operation not supported",
            "Function not implemented", "Operation not supported on transport endpoint");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    /** Folders made by {@link #open}: below them, writes may create sub-folders (one per state key). */
    private final java.util.Set<Path> opened = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicBoolean folderSyncRefusalLogged = new AtomicBoolean();
    /**
     * Folders below the root whose entry in their parent this process has made durable: it created them and fsynced
     * the parent, or fsynced the parent before its first write into a folder it found (another process may have
     * made that folder an instant earlier, and not have fsynced its parent yet).
     */
    private final java.util.Set<Path> durableFolders = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
            makeFolders(root);
            for (String prefix : prefixes) {
                Path folder = root.resolve(prefix).normalize();
                makeFolders(folder);
                makeDurable(folder);
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
        try {
            Files.readAttributes(file, BasicFileAttributes.class);
            return true;
        } catch (NoSuchFileException e) {
            folderPresent(file.getParent());
            return false;
        } catch (IOException e) {
            throw failure("check", key, e);
        }
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
            syncFolder(file.getParent());
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
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileSystemException fse && !NO_HARD_LINKS.contains(fse.getReason())) {
                    throw fse; // the link may or may not have been made: an error, not "no hard links"
                }
                // No hard links (some network filesystems): create-new is atomic too, but a reader could
                // briefly see an empty file; records that do not parse are treated as absent.
                try {
                    Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            StandardOpenOption.SYNC);
                } catch (FileAlreadyExistsException e2) {
                    return false;
                }
            }
            syncFolder(file.getParent());
            return true;
        } catch (IOException e) {
            throw failure("create", key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public void delete(String key) throws StoreException {
        Path file = file(key);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
        removeEmptyFolders(file.getParent());
    }

    /**
     * Removes a folder left empty by a delete, and its parents left empty, down to (not including) a folder made by
     * {@link #open}: the managed state's keys are folders of versions, and a listing walks every folder. A write
     * racing with the removal makes its folder again ({@link #writeTemp}).
     */
    private void removeEmptyFolders(Path folder) {
        for (Path dir = folder; dir != null && strictlyBelowOpened(dir); dir = dir.getParent()) {
            try {
                Files.delete(dir);
                durableFolders.remove(dir);
            } catch (IOException notEmptyOrGone) {
                return; // not empty (the usual case), or removed meanwhile
            }
        }
    }

    private boolean strictlyBelowOpened(Path dir) {
        for (Path made : opened) {
            if (dir.startsWith(made) && !dir.equals(made)) {
                return true;
            }
        }
        return false;
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
     * Adds the keys below {@code dir}. Entry by entry, so that a temporary file renamed away during the
     * listing (a concurrent write) is skipped instead of cutting the listing short.
     */
    private void collect(Path dir, String prefix, List<String> keys) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // renamed or deleted while listing
                }
                if (attributes.isDirectory()) {
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

    /**
     * Writes and fsyncs a temporary file beside {@code file}. Creates no folder that {@link #open} did not make,
     * except below one it made and that still exists: a missing opened folder means the store is gone.
     */
    private Path writeTemp(Path file, byte[] content) throws IOException {
        Path parent = file.getParent();
        Path temp = file.resolveSibling(TEMP_PREFIX + file.getFileName() + "-" + UUID.randomUUID());
        for (int attempt = 0;; attempt++) {
            if (!Files.isDirectory(parent)) {
                for (Path folder : opened) {
                    if (parent.startsWith(folder) && Files.isDirectory(folder)) {
                        makeFolders(parent);
                        break;
                    }
                }
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
                makeDurable(parent);
                return temp;
            } catch (NoSuchFileException folderRemoved) {
                if (attempt >= 2) {
                    throw folderRemoved; // a delete left the folder empty and removed it just now: make it again
                }
            }
        }
    }

    /**
     * Whether a folder exists. A folder below one made by {@link #open} may simply not exist yet; any
     * other missing folder, or a missing opened one, means the store is not there (an unmounted share).
     */
    private boolean folderPresent(Path folder) throws StoreException {
        if (isFolder(folder)) {
            return true;
        }
        for (Path made : opened) {
            if (folder.startsWith(made) && !folder.equals(made) && isFolder(made)) {
                return false;
            }
        }
        throw new StoreException("store folder " + folder + " is missing or not reachable (is the share mounted?)");
    }

    /** Whether a folder is there: false only if it is known not to be; a failure to find out throws. */
    private static boolean isFolder(Path folder) throws StoreException {
        try {
            return Files.readAttributes(folder, BasicFileAttributes.class).isDirectory();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StoreException("cannot check the store folder " + folder + ": " + e, e);
        }
    }

    /**
     * Creates a folder and its missing parents, and fsyncs the parent of each folder it created, so that the
     * new names survive a crash of the machine before anything written into them is acknowledged.
     */
    private void makeFolders(Path folder) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(p);
        }
        if (missing.isEmpty()) {
            return;
        }
        Files.createDirectories(folder);
        for (Path made : missing) {
            syncFolder(made.getParent()); // a filesystem root always exists, so a made folder has a parent
            durableFolders.add(made);
        }
    }

    /** Fsyncs the parent of {@code folder} and of each folder above it, up to the root, not yet known durable. */
    private void makeDurable(Path folder) {
        for (Path p = folder; p.startsWith(root) && !p.equals(root) && !durableFolders.contains(p); p = p.getParent()) {
            syncFolder(p.getParent());
            durableFolders.add(p);
        }
    }

    /**
     * Fsyncs a folder, so that a name just renamed or linked into it survives a crash of the machine. Some
     * filesystems refuse (Windows, some network filesystems): that is logged once, and the write stands.
     */
    private void syncFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (folderSyncRefusalLogged.compareAndSet(false, true)) {
                LOG.warn("Store folder {}: the filesystem refuses to fsync a folder ({}); a rename or claim made just "
                        + "before a crash of the machine may be lost with it. Logged once.", root, e.toString());
            } else {
                LOG.debug("Store folder {}: fsync of {} refused: {}", root, folder, e.toString());
            }
        }
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
