package io.kairos.profile.store;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A request to erase one profile.
 *
 * @param suppress    also refuse the person's future events (by the profile's identifiers)
 * @param requestedBy who asked, for the audit trail
 * @param requestId   the caller's idempotency key, if it sent one
 */
public record ErasureRequest(String workspace, UUID profileId, boolean suppress, String requestedBy,
        Optional<String> requestId) {

    public ErasureRequest {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestId, "requestId");
    }

    /** The same request for the profile actually erased (the survivor, when a merged id was named). */
    public ErasureRequest forProfile(UUID erased) {
        return new ErasureRequest(workspace, erased, suppress, requestedBy, requestId);
    }
}
