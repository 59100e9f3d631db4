package io.kairos.consent.domain;

/** The state a ledger record sets for its purpose x channel. */
public enum ConsentStatus implements ConsentVocabulary {
    GRANTED("granted"),
    DENIED("denied"),
    REVOKED("revoked");

    private final String wireName;

    ConsentStatus(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public boolean permits() {
        return this == GRANTED;
    }

    public static ConsentStatus parse(String raw, String field) {
        return ConsentVocabulary.parse(ConsentStatus.class, raw, field, "UNKNOWN_STATUS");
    }
}
