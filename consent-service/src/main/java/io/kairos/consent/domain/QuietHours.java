package io.kairos.consent.domain;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A daily window, in the recipient's local time, in which nothing goes out on a channel. A window
 * may wrap midnight ({@code 21:00-08:00}). {@code from == to} is refused: it could mean "never"
 * or "all day", and either is better said otherwise (no window, or not using the channel).
 *
 * <p>{@code days} are the days the window starts on; a window that wraps midnight ends the next
 * day. Texas, for one, allows telephone solicitation on Sundays only from noon: a window
 * {@code 21:00-12:00} starting on Saturdays says so.
 */
public record QuietHours(LocalTime from, LocalTime to, Set<DayOfWeek> days) {

    public QuietHours {
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("quiet hours from and to are both " + from);
        }
        if (!from.equals(from.truncatedTo(ChronoUnit.MINUTES)) || !to.equals(to.truncatedTo(ChronoUnit.MINUTES))) {
            throw new IllegalArgumentException("quiet hours are whole minutes: " + from + "-" + to);
        }
        if (days.isEmpty()) {
            throw new IllegalArgumentException("quiet hours start on at least one day");
        }
        days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    }

    /** A window every day of the week. */
    public QuietHours(LocalTime from, LocalTime to) {
        this(from, to, EnumSet.allOf(DayOfWeek.class));
    }

    public boolean everyDay() {
        return days.size() == DayOfWeek.values().length;
    }

    /** When the occurrence of this window that {@code local} falls in ends; empty when it falls in none. */
    public Optional<LocalDateTime> endOfOccurrence(LocalDateTime local) {
        LocalTime time = local.toLocalTime();
        if (from.isBefore(to)) {
            boolean inside = !time.isBefore(from) && time.isBefore(to) && days.contains(local.getDayOfWeek());
            return inside ? Optional.of(local.toLocalDate().atTime(to)) : Optional.empty();
        }
        if (!time.isBefore(from) && days.contains(local.getDayOfWeek())) {
            return Optional.of(local.toLocalDate().plusDays(1).atTime(to));
        }
        if (time.isBefore(to) && days.contains(local.getDayOfWeek().minus(1))) {
            return Optional.of(local.toLocalDate().atTime(to));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return JsonReading.HH_MM.format(from) + "-" + JsonReading.HH_MM.format(to) + (everyDay() ? "" : " from " + days);
    }
}
