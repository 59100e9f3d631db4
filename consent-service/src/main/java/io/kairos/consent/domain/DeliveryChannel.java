package io.kairos.consent.domain;

/**
 * A channel trigger actions are delivered on (DESIGN.md: email sms push webhook in_app kafka), as
 * workspace policies name them. Not the ledger's {@link Channel}: consent is given for ways of
 * reaching a person (web, all), policies govern the pipes messages leave by (webhook, kafka).
 */
public enum DeliveryChannel implements ConsentVocabulary {
    EMAIL("email"),
    SMS("sms"),
    PUSH("push"),
    IN_APP("in_app"),
    WEBHOOK("webhook"),
    KAFKA("kafka");

    private final String wireName;

    DeliveryChannel(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
