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

    /** The pipe a contact on this channel leaves by, whose quiet hours apply; none for web and all. */
    public java.util.Optional<DeliveryChannel> delivery() {
        return switch (this) {
            case EMAIL -> java.util.Optional.of(DeliveryChannel.EMAIL);
            case SMS -> java.util.Optional.of(DeliveryChannel.SMS);
            case PUSH -> java.util.Optional.of(DeliveryChannel.PUSH);
            case IN_APP -> java.util.Optional.of(DeliveryChannel.IN_APP);
            case WEB, ALL -> java.util.Optional.empty();
        };
    }

    /** Whether a record on this channel speaks for a question about {@code asked}. */
    public boolean covers(Channel asked) {
        return this == asked || this == ALL;
    }

    public static Channel parse(String raw, String field) {
        return ConsentVocabulary.parse(Channel.class, raw, field, "UNKNOWN_CHANNEL");
    }
}
