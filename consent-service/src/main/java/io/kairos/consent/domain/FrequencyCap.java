package io.kairos.consent.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * At most {@code max} messages to one profile on {@code channel} within any window of length
 * {@code per}; for one purpose, or for all purposes together when {@code purpose} is empty. With
 * {@code calendarDays} the window is whole days of the recipient's calendar (3 per P7D: this local
 * day and the six before it); trigger-service counts it.
 */
public record FrequencyCap(DeliveryChannel channel, Optional<Purpose> purpose, int max, Duration per,
                           boolean calendarDays) {

    public FrequencyCap(DeliveryChannel channel, Optional<Purpose> purpose, int max, Duration per) {
        this(channel, purpose, max, per, false);
    }

    public FrequencyCap {
        Objects.requireNonNull(channel);
        Objects.requireNonNull(purpose);
        if (max < 1) {
            throw new IllegalArgumentException("a frequency cap allows at least one message, got " + max);
        }
        if (per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a frequency cap window is positive, got " + per);
        }
        if (calendarDays && per.toSeconds() % 86_400 != 0) {
            throw new IllegalArgumentException("a calendar-day cap needs whole days, got " + per);
        }
    }

    /** Caps with the same scope and window contradict or repeat each other. */
    boolean sameScopeAs(FrequencyCap other) {
        return channel == other.channel && purpose.equals(other.purpose) && per.equals(other.per);
    }
}
