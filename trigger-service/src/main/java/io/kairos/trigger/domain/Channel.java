package io.kairos.trigger.domain;

import java.util.Arrays;
import java.util.Optional;

/** Delivery channels of DESIGN.md; the wire name is also the consent channel asked about. */
public enum Channel {
    EMAIL("email"), SMS("sms"), PUSH("push"), WEBHOOK("webhook"), IN_APP("in_app"), KAFKA("kafka");

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Channel> fromWireName(String name) {
        return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
    }
}
