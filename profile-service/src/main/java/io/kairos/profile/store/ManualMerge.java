package io.kairos.profile.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outcome of a manual merge: the survivor, every requested id now merged into it (also those
 * merged before), its traits, and when.
 */
public record ManualMerge(UUID survivorId, List<UUID> mergedIds, Map<String, Object> traits, Instant at) {
}
