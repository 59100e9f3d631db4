package io.kairos.consent.domain;

/** Rules for the free-text fields of a consent request. */
final class TextField {

    /** Long enough for any real id or source label, short enough to stay inside a btree index entry. */
    static final int MAX_LENGTH = 256;

    private TextField() {
    }

    static String required(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidConsentInput("FIELD_REQUIRED", field, field + " is required");
        }
        return bounded(raw, field);
    }

    static String optional(String raw, String field) {
        return raw == null ? "" : bounded(raw, field);
    }

    private static String bounded(String value, String field) {
        if (value.length() > MAX_LENGTH) {
            throw new InvalidConsentInput("FIELD_TOO_LONG", field,
                    field + " is longer than " + MAX_LENGTH + " characters");
        }
        return value;
    }
}
