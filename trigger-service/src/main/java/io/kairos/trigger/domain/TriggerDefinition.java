package io.kairos.trigger.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A validated trigger: when it fires ({@link Entry}), how long it waits first ({@code delay}, and
 * {@link Unless} an event cancels the wait), whether quiet hours hold the send back, and what it
 * then does ({@link Action}).
 */
public record TriggerDefinition(String name, Entry when, Duration delay, Optional<Unless> unless,
                                boolean respectQuietHours, Action action) {

    /** A trigger that fires at once and respects quiet hours. */
    public TriggerDefinition(String name, Entry when, Action action) {
        this(name, when, Duration.ZERO, Optional.empty(), true, action);
    }

    /**
     * The cart-abandonment pattern: the firing waits {@code within}, and the {@code event} before
     * then cancels it. With {@code restartOnEntry} a recurring entry starts the wait again (one wait
     * per profile, carrying the latest entry) instead of waiting once more beside it.
     */
    public record Unless(String event, Duration within, boolean restartOnEntry) {
    }

    /** How long a firing waits after its entry: the longer of delay and the unless window. */
    public Duration hold() {
        Duration window = unless.map(Unless::within).orElse(Duration.ZERO);
        return delay.compareTo(window) >= 0 ? delay : window;
    }

    public boolean waits() {
        return !hold().isZero();
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
