package io.kairos.trigger.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * At most {@code max} messages to one profile within {@code per}: from one trigger (a trigger's own
 * cap), or on a channel, for one purpose or all, across triggers (a workspace's cap). With
 * {@code calendarDays} the window is whole days of the recipient's calendar: 1 per P1D then means
 * one per local day, not one per 24 hours.
 */
public record FrequencyCap(int max, Duration per, boolean calendarDays, Scope scope) {

    /** What the cap counts. */
    public sealed interface Scope {

        /** The messages of the trigger that has the cap. */
        record OwnTrigger() implements Scope {
        }

        /** The messages on {@code channel}, of {@code purpose} or of any purpose, from every trigger. */
        record OnChannel(Channel channel, Optional<String> purpose) implements Scope {
        }
    }

    public FrequencyCap {
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

    /**
     * Where the window that counts at {@code now} starts: {@code per} ago, or, in calendar days, at
     * the local midnight that makes the window {@code per} days long including today.
     */
    public Instant countsFrom(Instant now, ZoneId zone) {
        if (!calendarDays) {
            return now.minus(per);
        }
        return now.atZone(zone).toLocalDate().minusDays(per.toDays() - 1).atStartOfDay(zone).toInstant();
    }

    /** Is the cap reached with {@code sent} messages already in the window? */
    public boolean reachedWith(long sent) {
        return sent >= max;
    }

    /** The delivery log's reason for a firing the cap holds back. */
    public String refusal() {
        String window = per.toSeconds() % 86_400 == 0
                ? per.toDays() + (calendarDays ? " local" : "") + (per.toDays() == 1 ? " day" : " days")
                : per.toString();
        return switch (scope) {
            case Scope.OwnTrigger ignored -> "frequency cap: this trigger sends at most " + max + " per " + window;
            case Scope.OnChannel on -> "frequency cap: at most " + max + " " + on.purpose().map(p -> p + " ").orElse("")
                    + on.channel().wireName() + " messages per " + window;
        };
    }
}
