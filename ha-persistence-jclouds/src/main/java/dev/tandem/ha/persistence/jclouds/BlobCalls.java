package dev.tandem.ha.persistence.jclouds;

import java.io.IOException;
import java.io.InputStream;
import java.util.Date;
import java.util.Optional;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.domain.Location;
import org.jclouds.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;
import dev.tandem.ha.persistence.jclouds.BlobPlaneStore.Request;
import dev.tandem.jclouds.S3ConditionalWrites;
import dev.tandem.jclouds.S3ConditionalWrites.Outcome;

/**
 * The object requests of the store on one container, by full blob name, each through {@link BlobRequests}:
 * GET, HEAD, PUT (plain or, on the S3 API, conditional), DELETE, and the container's HEAD and creation.
 */
final class BlobCalls {
    private static final Logger LOG = LoggerFactory.getLogger(BlobCalls.class);

    private final BlobStoreContext context;
    private final BlobStore blobStore;
    private final String container;
    private final StoreLayout layout;
    private final BlobRequests requests;
    private final boolean s3;

    BlobCalls(BlobStoreContext context, String container, StoreLayout layout, BlobRequests requests) {
        this.context = context;
        this.blobStore = context.getBlobStore();
        this.container = container;
        this.layout = layout;
        this.requests = requests;
        this.s3 = S3ConditionalWrites.isS3(context);
    }

    /** Whether the API is S3's, where conditional PUTs can be sent. */
    boolean isS3() {
        return s3;
    }

    BlobRequests requests() {
        return requests;
    }

    Optional<StoredObject> get(String blobName, String key) throws StoreException {
        return requests.call("read", key, Request.GET, () -> {
            Blob blob = blobStore.getBlob(container, blobName);
            if (blob == null) {
                return Optional.empty();
            }
            byte[] content;
            try (InputStream in = blob.getPayload().openStream()) {
                content = in.readAllBytes();
            } catch (IOException e) {
                throw new HttpResponseException("reading the body of " + key + " failed: " + e, null, null, e);
            }
            return Optional.of(new StoredObject(key, content, millis(blob.getMetadata().getLastModified())));
        });
    }

    boolean head(String blobName) throws StoreException {
        return requests.call("check", layout.nameOf(blobName), Request.HEAD,
                () -> blobStore.blobMetadata(container, blobName) != null);
    }

    /** A plain PUT, never sent again once its outcome is unknown. */
    void put(String blobName, byte[] content, RetryPolicy policy) throws StoreException {
        Blob blob = blobStore.blobBuilder(blobName).payload(content).contentLength(content.length)
                .contentType("application/octet-stream").build();
        requests.call("write", layout.nameOf(blobName), Request.PUT, policy, () -> blobStore.putBlob(container, blob));
    }

    /**
     * A PUT with {@code If-None-Match} and/or {@code If-Match} on the S3 API: WRITTEN, PRECONDITION_FAILED or
     * CONFLICT; null if the endpoint refused the header itself (400, 405, 501) and {@code refusalIsAnswer}.
     */
    Outcome conditionalPut(String op, String blobName, byte[] content, String ifNoneMatch, String ifMatch,
            RetryPolicy policy, boolean refusalIsAnswer) throws StoreException {
        return requests.call(op, layout.nameOf(blobName), Request.PUT, policy, () -> {
            try {
                return S3ConditionalWrites.put(context, container, blobName, content, ifNoneMatch, ifMatch);
            } catch (RuntimeException e) {
                int status = Replay.statusOf(e);
                if (refusalIsAnswer && (status == 400 || status == 405 || status == 501)) {
                    return null;
                }
                throw e;
            }
        });
    }

    void delete(String blobName, String key) throws StoreException {
        requests.call("delete", key, Request.DELETE, () -> {
            blobStore.removeBlob(container, blobName);
            return null;
        });
    }

    /** A DELETE whose failure is only logged (the store's own bookkeeping). */
    void deleteQuietly(String blobName) {
        try {
            delete(blobName, layout.nameOf(blobName));
        } catch (StoreException e) {
            LOG.debug("Store container {}: could not delete {}: {}", container, blobName, e.getMessage());
        }
    }

    boolean containerExists() throws StoreException {
        return requests.call("check container", "", Request.HEAD, () -> blobStore.containerExists(container));
    }

    /** Creates the container in a region (or the provider's default); false if it was there already. */
    boolean createContainer(String region) throws StoreException {
        return requests.call("create container", "", Request.PUT, () -> blobStore.createContainerInLocation(location(region),
                container));
    }

    private Location location(String region) {
        if (region == null) {
            return null;
        }
        for (Location l : blobStore.listAssignableLocations()) {
            if (region.equals(l.getId())) {
                return l;
            }
        }
        return null;
    }

    static long millis(Date date) {
        return date == null ? 0 : date.getTime();
    }
}
