package io.kairos.profile.store;

import io.kairos.profile.domain.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A profile as readers see it. */
public record ProfileView(String workspace, UUID profileId, Map<String, Object> traits, List<Identifier> identifiers,
        Instant firstSeen, Instant lastSeen) {
}
