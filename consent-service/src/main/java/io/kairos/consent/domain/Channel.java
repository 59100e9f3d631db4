package io.kairos.consent.domain;

/** How the profile is reached; {@link #ALL} is a record that covers every channel of a purpose. */
public enum Channel implements ConsentVocabulary {
    EMAIL("email"),
    SMS("sms"),
    PUSH("push"),
    IN_APP("in_app"),
    WEB("web"),
    ALL("all");

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** Whether a record on this channel speaks for a question about {@code asked}. */
    public boolean covers(Channel asked) {
        return this == asked || this == ALL;
    }

    public static Channel parse(String raw, String field) {
        return ConsentVocabulary.parse(Channel.class, raw, field, "UNKNOWN_CHANNEL");
    }
}
