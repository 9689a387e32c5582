package dev.tandem.ha.persistence.jclouds;

import java.util.ArrayList;
import java.util.List;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;

import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.persistence.jclouds.BlobPlaneStore.Request;

/** Lists the blobs under a blob-name prefix, following pages (one LIST per 1,000 blobs on S3). */
final class BlobListing {
    private final BlobStore blobStore;
    private final String container;
    private final StoreLayout layout;
    private final BlobRequests requests;

    BlobListing(BlobStore blobStore, String container, StoreLayout layout, BlobRequests requests) {
        this.blobStore = blobStore;
        this.container = container;
        this.layout = layout;
        this.requests = requests;
    }

    /** The names of the blobs under a full blob-name prefix, in the store's order. */
    List<String> names(String fullPrefix) throws StoreException {
        List<String> out = new ArrayList<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.prefix(fullPrefix).recursive();
            if (marker != null) {
                options.afterMarker(marker);
            }
            PageSet<? extends StorageMetadata> page = requests.call("list", layout.nameOf(fullPrefix), Request.LIST,
                    () -> blobStore.list(container, options));
            for (StorageMetadata m : page) {
                if (m.getType() == StorageType.BLOB && m.getName() != null && m.getName().startsWith(fullPrefix)) {
                    out.add(m.getName());
                }
            }
            marker = page.getNextMarker();
        } while (marker != null);
        return out;
    }
}
