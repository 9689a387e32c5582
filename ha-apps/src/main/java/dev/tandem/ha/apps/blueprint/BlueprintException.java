package dev.tandem.ha.apps.blueprint;

/** A blueprint that cannot be deployed; the message names what is wrong and what is accepted. */
public final class BlueprintException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BlueprintException(String message) {
        super(message);
    }
}
