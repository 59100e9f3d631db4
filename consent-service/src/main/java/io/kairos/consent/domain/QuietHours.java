package io.kairos.consent.domain;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A daily window, in the recipient's local time, in which nothing goes out on a channel. A window
 * may wrap midnight ({@code 21:00-08:00}). {@code from == to} is refused: it could mean "never"
 * or "all day", and either is better said otherwise (no window, or not using the channel).
 */
public record QuietHours(LocalTime from, LocalTime to) {

    public QuietHours {
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("quiet hours from and to are both " + from);
        }
        if (!from.equals(from.truncatedTo(ChronoUnit.MINUTES)) || !to.equals(to.truncatedTo(ChronoUnit.MINUTES))) {
            throw new IllegalArgumentException("quiet hours are whole minutes: " + from + "-" + to);
        }
    }
}
