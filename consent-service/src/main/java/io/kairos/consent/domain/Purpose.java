package io.kairos.consent.domain;

/** What the data or the contact is used for. */
public enum Purpose implements ConsentVocabulary {
    ANALYTICS("analytics"),
    PERSONALIZATION("personalization"),
    MARKETING("marketing"),
    SALE_SHARE("sale_share"),
    SENSITIVE("sensitive");

    private final String wireName;

    Purpose(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Purpose parse(String raw, String field) {
        return ConsentVocabulary.parse(Purpose.class, raw, field, "UNKNOWN_PURPOSE");
    }
}
