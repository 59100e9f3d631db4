package io.kairos.trigger.domain;

import java.util.Arrays;

/** How a firing ended, as the delivery log and the API spell it. */
public enum DeliveryOutcome {
    /**
     * The webhook accepted the message (2xx), or Kafka acknowledged it on kairos.actions. Final: a
     * redelivered firing is not sent again.
     */
    SENT("sent"),
    /** Deliberately not sent (consent). Final. */
    SKIPPED("skipped"),
    /** The webhook kept failing; a redelivery of the cause may try again. */
    FAILED("failed");

    private final String wireName;

    DeliveryOutcome(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isFinal() {
        return this != FAILED;
    }

    public static DeliveryOutcome fromWireName(String name) {
        return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown delivery outcome " + name));
    }
}
