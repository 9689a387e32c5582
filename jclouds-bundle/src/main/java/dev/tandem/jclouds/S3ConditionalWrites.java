package dev.tandem.jclouds;

import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.http.HttpResponseException;
import org.jclouds.rest.AuthorizationException;
import org.jclouds.s3.S3Client;
import org.jclouds.s3.domain.S3Object;
import org.jclouds.s3.options.PutObjectOptions;

/**
 * Conditional PUTs on the S3 API ({@code If-None-Match: *} creates only if absent; {@code If-Match: ETAG}
 * replaces only that version), which Amazon S3 has honoured since 2024. jclouds' portable blob store API
 * cannot send them, so this goes through {@link S3Client} with a header added to {@link PutObjectOptions}.
 * Servers that ignore the headers simply overwrite: callers must find out with a self-test first.
 */
public final class S3ConditionalWrites {

    /** What a conditional PUT did. */
    public enum Outcome {
        /** The object was written. */
        WRITTEN,
        /** 412: the condition did not hold (the object exists, or has another ETag); nothing was written. */
        PRECONDITION_FAILED,
        /** 409: a concurrent write or delete of the same key got in the way; nothing was written. */
        CONFLICT
    }

    private S3ConditionalWrites() {}

    /** Whether the context speaks the S3 API (providers s3, aws-s3 and other S3 clones). */
    public static boolean isS3(BlobStoreContext context) {
        try {
            context.unwrapApi(S3Client.class);
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * PUTs an object with {@code If-None-Match} and/or {@code If-Match} (either may be null).
     *
     * @return what happened; any other failure is thrown as jclouds throws it
     */
    public static Outcome put(BlobStoreContext context, String bucket, String key, byte[] content,
            String ifNoneMatch, String ifMatch) {
        S3Client s3 = context.unwrapApi(S3Client.class);
        S3Object object = s3.newS3Object();
        object.getMetadata().setKey(key);
        object.setPayload(content);
        object.getPayload().getContentMetadata().setContentLength((long) content.length);
        object.getPayload().getContentMetadata().setContentType("application/octet-stream");
        try {
            s3.putObject(bucket, object, new ConditionalOptions(ifNoneMatch, ifMatch));
            return Outcome.WRITTEN;
        } catch (HttpResponseException e) {
            return outcome(e);
        } catch (AuthorizationException e) {
            throw e;
        } catch (RuntimeException e) {
            HttpResponseException http = find(e);
            if (http != null) {
                return outcome(http);
            }
            throw e;
        }
    }

    private static Outcome outcome(HttpResponseException e) {
        int status = e.getResponse() == null ? -1 : e.getResponse().getStatusCode();
        if (status == 412) {
            return Outcome.PRECONDITION_FAILED;
        }
        if (status == 409) {
            return Outcome.CONFLICT;
        }
        throw e;
    }

    private static HttpResponseException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpResponseException h) {
                return h;
            }
        }
        return null;
    }

    /** Adds the conditional headers; jclouds injects the header tag, which these names do not contain. */
    private static final class ConditionalOptions extends PutObjectOptions {
        ConditionalOptions(String ifNoneMatch, String ifMatch) {
            if (ifNoneMatch != null) {
                headers.put("If-None-Match", ifNoneMatch);
            }
            if (ifMatch != null) {
                headers.put("If-Match", ifMatch);
            }
        }
    }
}
