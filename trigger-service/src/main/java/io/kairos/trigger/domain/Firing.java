package io.kairos.trigger.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One trigger firing for one profile. The id is derived from the trigger and the cause, so a
 * redelivered Kafka message yields the same firing and the delivery log can refuse a second send.
 */
public record Firing(UUID firingId, UUID triggerId, String workspace, String profileId, TriggerCause cause,
                     Instant firedAt) {

    public static Firing of(UUID triggerId, String workspace, String profileId, TriggerCause cause, Instant now) {
        // Millisecond precision: the delivery log and the API carry epoch milliseconds.
        return new Firing(firingId(triggerId, cause.causeId()), triggerId, workspace, profileId, cause,
                now.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Name-based (v3) UUID of trigger id and cause id. */
    public static UUID firingId(UUID triggerId, String causeId) {
        return UUID.nameUUIDFromBytes((triggerId + "/" + causeId).getBytes(StandardCharsets.UTF_8));
    }
}
