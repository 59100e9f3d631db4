package io.kairos.trigger.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * A firing that waits: for its trigger's delay or unless window, or for the end of the recipient's
 * quiet hours. {@code firing.firedAt()} is when it entered; it fires at {@code dueAt} unless
 * {@code unlessEvent} comes before {@code unlessUntil}, or the profile leaves the segment
 * {@code cancelledByLeaving}. {@code waitKey} makes one wait per firing, or one per trigger and profile
 * when the wait restarts on each entry.
 */
public record PendingFiring(Firing firing, Channel channel, String waitKey, Map<String, Object> traits, Instant dueAt,
                            Optional<String> unlessEvent, Optional<Instant> unlessUntil, Reason reason,
                            Optional<String> cancelledByLeaving) {

    public enum Reason {
        DELAY("delay"), UNLESS("unless"), DEFERRED("deferred");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Reason fromWireName(String name) {
            for (Reason reason : values()) {
                if (reason.wireName.equals(name)) {
                    return reason;
                }
            }
            throw new IllegalArgumentException("unknown wait reason " + name);
        }
    }

    /**
     * The wait of a trigger with a delay, a time of day or an unless window, from its entry;
     * {@code zone} is the recipient's, for the time of day.
     */
    public static PendingFiring waitFor(TriggerDefinition trigger, Firing entry, Map<String, Object> traits, ZoneId zone) {
        Instant entered = entry.firedAt();
        Optional<TriggerDefinition.Unless> unless = trigger.unless();
        boolean restarts = unless.map(TriggerDefinition.Unless::restartOnEntry).orElse(false);
        return new PendingFiring(entry, trigger.action().channel(),
                restarts ? entry.triggerId() + "/" + entry.profileId() : entry.firingId().toString(), traits,
                trigger.dueAfter(entered, zone), unless.map(TriggerDefinition.Unless::event),
                unless.map(u -> entered.plus(u.within())), unless.isPresent() ? Reason.UNLESS : Reason.DELAY,
                cancelledByLeaving(trigger));
    }

    /** A firing held back until {@code until} (quiet hours); only leaving its audience or erasure cancels it. */
    public static PendingFiring deferred(TriggerDefinition trigger, Firing firing, Map<String, Object> traits, Instant until) {
        return new PendingFiring(firing, trigger.action().channel(), firing.firingId().toString(), traits, until,
                Optional.empty(), Optional.empty(), Reason.DEFERRED, cancelledByLeaving(trigger));
    }

    private static Optional<String> cancelledByLeaving(TriggerDefinition trigger) {
        return trigger.audience().filter(TriggerDefinition.Audience::cancelOnExit).map(TriggerDefinition.Audience::segmentId);
    }

    /** Does {@code event}, seen at {@code at}, cancel this wait? */
    public boolean cancelledBy(String event, Instant at) {
        return unlessEvent.filter(event::equals).isPresent() && !at.isBefore(firing.firedAt())
                && unlessUntil.filter(until -> !at.isAfter(until)).isPresent();
    }

    /** The firing as it goes out now. */
    public Firing firingAt(Instant now) {
        return new Firing(firing.firingId(), firing.triggerId(), firing.workspace(), firing.profileId(), firing.cause(),
                now.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The delivery log's reason when the unless event cancelled the wait. */
    public String cancellationReason(String event) {
        return "cancelled: " + event + " came within the wait";
    }
}
