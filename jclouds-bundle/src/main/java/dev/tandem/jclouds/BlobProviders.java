package dev.tandem.jclouds;

import java.io.Closeable;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.jclouds.ContextBuilder;
import org.jclouds.apis.ApiMetadata;
import org.jclouds.apis.Apis;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.providers.ProviderMetadata;
import org.jclouds.providers.Providers;

import com.google.common.collect.ImmutableSet;

/**
 * The jclouds blob store providers and APIs in this bundle, and contexts built from them. jclouds finds
 * them with {@link java.util.ServiceLoader} on the thread context class loader, so every entry point here
 * sets it to this bundle's class loader for the duration of the call.
 */
public final class BlobProviders {

    /** What a caller needs to know about a provider or API to validate its configuration. */
    public record Info(String id, boolean provider, String name, boolean needsIdentity, boolean needsCredential,
            String identityName, String credentialName, String defaultEndpoint) {}

    private BlobProviders() {}

    /** The blob store providers and APIs, by id (e.g. aws-s3, s3, azureblob, filesystem, transient). */
    public static SortedMap<String, Info> all() {
        return withBundleLoader(() -> {
            SortedMap<String, Info> out = new TreeMap<>();
            for (ApiMetadata api : Apis.viewableAs(BlobStoreContext.class)) {
                out.put(api.getId(), info(api.getId(), false, api.getName(), api));
            }
            for (ProviderMetadata p : Providers.viewableAs(BlobStoreContext.class)) {
                out.put(p.getId(), info(p.getId(), true, p.getName(), p.getApiMetadata()));
            }
            return out;
        });
    }

    public static Optional<Info> find(String id) {
        return Optional.ofNullable(all().get(id));
    }

    private static Info info(String id, boolean provider, String name, ApiMetadata api) {
        return new Info(id, provider, name, !api.getDefaultIdentity().isPresent(),
                api.getCredentialName().isPresent() && !api.getDefaultCredential().isPresent(),
                api.getIdentityName(), api.getCredentialName().or(""), api.getDefaultEndpoint().or(""));
    }

    /**
     * Builds a blob store context. Logging goes to SLF4J through {@link TandemLoggingModule} (jclouds' wire
     * and header logs stay off unless their categories are enabled; headers carry signatures, never the
     * secret itself).
     *
     * @param endpoint   null for the provider's default
     * @param identity   null for the API's default (transient, filesystem)
     * @param overrides  jclouds properties, passed unchanged
     */
    public static BlobStoreContext newContext(String id, String endpoint, String identity, String credential,
            Properties overrides) {
        return withBundleLoader(() -> {
            ContextBuilder builder = ContextBuilder.newBuilder(id)
                    .modules(ImmutableSet.of(new TandemLoggingModule()))
                    .overrides(overrides);
            if (endpoint != null && !endpoint.isEmpty()) {
                builder.endpoint(endpoint);
            }
            if (identity != null) {
                builder.credentials(identity, credential);
            }
            return builder.buildView(BlobStoreContext.class);
        });
    }

    /** Closes a context, with this bundle's loader as the context class loader. */
    public static void close(Closeable context) {
        withBundleLoader(() -> {
            try {
                context.close();
            } catch (java.io.IOException e) {
                // closing releases threads and connections; nothing left to do if it fails
            }
            return null;
        });
    }

    static <T> T withBundleLoader(Supplier<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ContextBuilder.class.getClassLoader());
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
