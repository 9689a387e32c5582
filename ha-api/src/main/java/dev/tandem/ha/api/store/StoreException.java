package dev.tandem.ha.api.store;

/**
 * The store could not be reached or did not carry out a request. Messages never contain credentials.
 */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
