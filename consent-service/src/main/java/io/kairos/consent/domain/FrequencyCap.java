package io.kairos.consent.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * At most {@code max} messages to one profile on {@code channel} within any window of length
 * {@code per}; for one purpose, or for all purposes together when {@code purpose} is empty.
 */
public record FrequencyCap(DeliveryChannel channel, Optional<Purpose> purpose, int max, Duration per) {

    public FrequencyCap {
        Objects.requireNonNull(channel);
        Objects.requireNonNull(purpose);
        if (max < 1) {
            throw new IllegalArgumentException("a frequency cap allows at least one message, got " + max);
        }
        if (per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a frequency cap window is positive, got " + per);
        }
    }

    /** Caps with the same scope and window contradict or repeat each other. */
    boolean sameScopeAs(FrequencyCap other) {
        return channel == other.channel && purpose.equals(other.purpose) && per.equals(other.per);
    }
}
