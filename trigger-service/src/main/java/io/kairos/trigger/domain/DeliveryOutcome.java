package io.kairos.trigger.domain;

import java.util.Arrays;

/** How a firing ended, as the delivery log and the API spell it. */
public enum DeliveryOutcome {
    /**
     * The webhook accepted the message (2xx), or Kafka acknowledged it on kairos.actions. Final: a
     * redelivered firing is not sent again.
     */
    SENT("sent"),
    /** Deliberately not sent (consent, a cancelled wait, a trigger paused meanwhile). Final. */
    SKIPPED("skipped"),
    /** The webhook kept failing; a redelivery of the cause may try again. */
    FAILED("failed"),
    /** Held back until a later instant (quiet hours); a timer fires it then, and its outcome replaces this one. */
    DEFERRED("deferred");

    private final String wireName;

    DeliveryOutcome(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isFinal() {
        return this == SENT || this == SKIPPED;
    }

    public static DeliveryOutcome fromWireName(String name) {
        return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown delivery outcome " + name));
    }
}
