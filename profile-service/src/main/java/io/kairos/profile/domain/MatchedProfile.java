package io.kairos.profile.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** A profile holding at least one of an event's identifiers, with all the identifiers it holds. */
public record MatchedProfile(UUID profileId, Instant createdAt, Set<Identifier> identifiers) {

    public MatchedProfile {
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(createdAt, "createdAt");
        identifiers = Set.copyOf(identifiers);
    }
}
