package io.kairos.trigger.domain;

import java.util.Arrays;
import java.util.Optional;

/** Delivery channels of DESIGN.md. */
public enum Channel {
    EMAIL("email"), SMS("sms"), PUSH("push"), WEBHOOK("webhook"), IN_APP("in_app"), KAFKA("kafka");

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The channel consent-service is asked about for an action on this channel. */
    public String consentChannel() {
        return switch (this) {
            case EMAIL, SMS, PUSH, IN_APP -> wireName;
            // A webhook or Kafka action is not a personal inbox: purpose-level consent, recorded as "all", decides.
            case WEBHOOK, KAFKA -> "all";
        };
    }

    /**
     * Delivered as a {@code kairos.events.Action} on kairos.actions rather than to a provider webhook:
     * in_app, which the gateway relays to the browser.
     */
    public boolean publishedAsAction() {
        return this == IN_APP;
    }

    public static Optional<Channel> fromWireName(String name) {
        return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
    }
}
