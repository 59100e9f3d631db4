package io.kairos.consent.domain;

/**
 * How a ledger record came to be. A {@link #GPC} record stands for a browser's Global Privacy
 * Control signal: whether it opts the person out depends on the jurisdiction, so it is kept apart
 * from statements the person made.
 */
public enum Origin implements ConsentVocabulary {
    /** Written through the admin API (a preference centre, a support agent). */
    ADMIN("admin"),
    /** Read from an event: Segment's {@code context.consent} or a {@code Consent Updated} track. */
    EVENT("event"),
    /** A {@code Sec-GPC: 1} signal seen on an event. */
    GPC("gpc");

    private final String wireName;

    Origin(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Origin parse(String raw, String field) {
        return ConsentVocabulary.parse(Origin.class, raw, field, "UNKNOWN_ORIGIN");
    }
}
