package dev.tandem.ha.apps.journal;

/** The keys the journal writes through the managed-state store. */
public final class JournalKeys {
    public static final String SEGMENT_PREFIX = "apps-journal-";
    public static final String SNAPSHOT = "apps-snapshot";
    public static final String HEAD = "apps-snapshot-head";

    private JournalKeys() {}

    /** Zero-padded, so that key order is journal order. */
    public static String segment(long seq) {
        return SEGMENT_PREFIX + String.format("%019d", seq);
    }
}
