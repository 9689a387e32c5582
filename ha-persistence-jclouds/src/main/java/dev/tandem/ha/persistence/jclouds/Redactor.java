package dev.tandem.ha.persistence.jclouds;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Removes secrets from text and exceptions before they reach a log, a {@code StoreException} or the REST
 * API: the credential wherever it appears, the identity too where it looks like an access key (12
 * characters or more: short identities such as Azure account names are also host and container names),
 * the user-info part of URLs, and the usual signature and token parameters of query strings and headers.
 */
final class Redactor {
    private static final String MASK = "***";
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");
    private static final Pattern SECRET_PARAMS = Pattern.compile(
            "(?i)((?:x-amz-signature|x-amz-credential|x-amz-security-token|signature|sig|awsaccesskeyid|token|"
                    + "access_token|client_secret|password)=)[^&\\s\"']+");
    private static final Pattern AUTH_HEADER = Pattern.compile("(?i)(authorization:\\s*)[^\\r\\n]+");

    private final List<String> secrets;

    /** Redacts the credential, and the identity if it is 12 characters or more. */
    static Redactor of(String identity, String credential) {
        return new Redactor(identity != null && identity.length() >= 12 ? identity : null, credential);
    }

    Redactor(String... secrets) {
        this.secrets = java.util.Arrays.stream(secrets).filter(Objects::nonNull).filter(s -> s.length() >= 3).toList();
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        out = USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
        out = SECRET_PARAMS.matcher(out).replaceAll("$1" + MASK);
        return AUTH_HEADER.matcher(out).replaceAll("$1" + MASK);
    }

    /**
     * A copy of an exception chain with every message redacted and the stack traces kept, made of plain
     * exceptions so that no jclouds object (requests, responses, headers) travels with it.
     */
    Throwable redact(Throwable t) {
        return copy(t, 0);
    }

    private Throwable copy(Throwable t, int depth) {
        if (t == null || depth > 10) {
            return null;
        }
        RedactedException copy = new RedactedException(t.getClass().getName() + ": " + redact(t.getMessage()),
                copy(t.getCause(), depth + 1));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** Stands in for an exception whose message may have held a secret. */
    static final class RedactedException extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
