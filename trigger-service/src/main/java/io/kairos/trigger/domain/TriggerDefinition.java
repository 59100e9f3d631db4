package io.kairos.trigger.domain;

import java.time.Instant;

/** A validated trigger: when it fires ({@link Entry}) and what it then does ({@link Action}). */
public record TriggerDefinition(String name, Entry when, Action action) {

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
