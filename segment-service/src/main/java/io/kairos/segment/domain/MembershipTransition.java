package io.kairos.segment.domain;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/** A profile entering or leaving one segment. */
public record MembershipTransition(String segmentId, int segmentVersion, Direction direction) {

    public enum Direction { ENTERED, EXITED }

    public MembershipTransition {
        Objects.requireNonNull(segmentId);
        Objects.requireNonNull(direction);
    }

    /**
     * The idempotency key of this transition for a profile and its cause: the same cause
     * processed twice (a redelivered message, a retried publish) yields the same id, so
     * consumers can drop duplicates.
     */
    public String changeId(String workspace, String profileId, String cause) {
        String identity = String.join("\n", workspace, segmentId, Integer.toString(segmentVersion),
                profileId, direction.name(), cause);
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
