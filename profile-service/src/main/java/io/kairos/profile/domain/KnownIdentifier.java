package io.kairos.profile.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An identifier already in the identity graph, with the profile holding it and when that profile was created. */
public record KnownIdentifier(Identifier identifier, UUID profileId, Instant profileCreatedAt) {

    public KnownIdentifier {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(profileCreatedAt, "profileCreatedAt");
    }
}
