package io.kairos.profile.store;

import java.time.Instant;
import java.util.UUID;

/** What erasing a profile removed, as first recorded: a repeated request gets this same receipt. */
public record ErasureReceipt(String workspace, UUID profileId, Instant deletedAt, int identifiersRemoved,
        long eventsRemoved, boolean suppressed) {
}
