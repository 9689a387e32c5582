package dev.tandem.ha.apps;

/**
 * A request on the managed applications that cannot be carried out, with the HTTP status Brooklyn gives for it
 * and a message that names the problem and what is accepted.
 */
public final class AppsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String details;

    public AppsException(int status, String message, String details) {
        super(message);
        this.status = status;
        this.details = details == null ? "" : details;
    }

    public int status() {
        return status;
    }

    public String details() {
        return details;
    }

    static AppsException notFound(String what, String id) {
        return new AppsException(404, what + " '" + id + "' not found", "");
    }
}
