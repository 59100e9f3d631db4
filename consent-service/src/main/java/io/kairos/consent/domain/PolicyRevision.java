package io.kairos.consent.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The policies a workspace has in force, with their version: 0 for the defaults of a workspace
 * that never changed them, one more with every update.
 */
public record PolicyRevision(Policies policies, int version, Optional<Instant> updatedAt, String updatedBy) {

    public static final PolicyRevision DEFAULTS = new PolicyRevision(Policies.DEFAULTS, 0, Optional.empty(), "");

    public PolicyRevision {
        Objects.requireNonNull(policies);
        Objects.requireNonNull(updatedAt);
        Objects.requireNonNull(updatedBy);
        if (version < 0) {
            throw new IllegalArgumentException("versions start at 0, got " + version);
        }
    }

    /** The revision after {@code change}; every update is a new version, even one that changes nothing. */
    public PolicyRevision next(PoliciesChange change, Instant at, String by) {
        return new PolicyRevision(policies.with(change), version + 1, Optional.of(at), by);
    }
}
