package io.kairos.trigger.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A validated trigger: when it fires ({@link Entry}), how long it waits first ({@code delay}, then
 * until the recipient's local time of day {@code at} when set, and
 * {@link Unless} an event cancels the wait), whether quiet hours hold the send back, who may enter
 * again ({@link Reentry}), how often it may reach one profile ({@code frequencyCap}, scope
 * {@link FrequencyCap.Scope.OwnTrigger}), and what it then does ({@link Action}).
 */
public record TriggerDefinition(String name, Entry when, Duration delay, Optional<LocalTime> at, Optional<Unless> unless,
                                Optional<Audience> audience, boolean respectQuietHours, Reentry reentry,
                                Optional<FrequencyCap> frequencyCap, Action action) {

    /** A trigger that fires at once, every time, without a cap of its own, and respects quiet hours. */
    public TriggerDefinition(String name, Entry when, Action action) {
        this(name, when, Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(), true, new Reentry.Always(),
                Optional.empty(), action);
    }

    /** Whether a profile that went through the trigger may enter it again. */
    public sealed interface Reentry {

        /** Every entry fires. */
        record Always() implements Reentry {
        }

        /** One firing per profile, ever. */
        record Once() implements Reentry {
        }

        /** At most one firing per profile within {@code window}. */
        record OncePer(Duration window) implements Reentry {
        }

        /** Since when an earlier firing keeps the profile out at {@code now}; empty: nothing does. */
        default Optional<Instant> blockingSince(Instant now) {
            return switch (this) {
                case Always ignored -> Optional.empty();
                case Once ignored -> Optional.of(Instant.EPOCH);
                case OncePer per -> Optional.of(now.minus(per.window()));
            };
        }

        /** The delivery log's reason when an entry is refused. */
        default String refusal() {
            return switch (this) {
                case Always ignored -> throw new IllegalStateException("every entry fires");
                case Once ignored -> "re-entry: the trigger already fired for this profile (once)";
                case OncePer per -> "re-entry: the trigger fired for this profile within " + per.window() + " (oncePer)";
            };
        }
    }

    /**
     * The cart-abandonment pattern: the firing waits {@code within}, and the {@code event} before
     * then cancels it. With {@code restartOnEntry} a recurring entry starts the wait again (one wait
     * per profile, carrying the latest entry) instead of waiting once more beside it.
     */
    public record Unless(String event, Duration within, boolean restartOnEntry) {
    }

    /**
     * Who may receive the firing, checked when it goes out: the members of a segment. With
     * {@code cancelOnExit} leaving the segment also cancels the profile's waiting firings.
     */
    public record Audience(String segmentId, boolean cancelOnExit) {
    }

    /** How long a firing waits after its entry: the longer of delay and the unless window. */
    public Duration hold() {
        Duration window = unless.map(Unless::within).orElse(Duration.ZERO);
        return delay.compareTo(window) >= 0 ? delay : window;
    }

    public boolean waits() {
        return !hold().isZero() || at.isPresent();
    }

    /**
     * When a firing that entered at {@code entered} is due: after its hold, at the next {@code at} in
     * the recipient's {@code zone} when the trigger has one. On the night the clocks go forward a time
     * that does not exist locally is taken as the same length of time after midnight (02:30 → 03:30).
     */
    public Instant dueAfter(Instant entered, ZoneId zone) {
        Instant held = entered.plus(hold());
        if (at.isEmpty()) {
            return held;
        }
        ZonedDateTime local = held.atZone(zone);
        Instant sameDay = local.toLocalDate().atTime(at.get()).atZone(zone).toInstant();
        return sameDay.isBefore(held) ? local.toLocalDate().plusDays(1).atTime(at.get()).atZone(zone).toInstant() : sameDay;
    }

    /** Does this trigger fire on {@code cause}? {@code now} anchors relative filters such as withinLast. */
    public boolean firesOn(TriggerCause cause, Instant now) {
        return switch (when) {
            case Entry.OnEvent onEvent -> cause instanceof TriggerCause.ObservedEvent event
                    && onEvent.event().equals(event.name())
                    && onEvent.where().stream().allMatch(filter -> filter.matches(event.properties(), now));
            case Entry.OnSegmentEntered entered -> cause instanceof TriggerCause.MembershipTransition transition
                    && transition.entered() && entered.segmentId().equals(transition.segmentId());
            case Entry.OnSegmentExited exited -> cause instanceof TriggerCause.MembershipTransition transition
                    && !transition.entered() && exited.segmentId().equals(transition.segmentId());
        };
    }
}
