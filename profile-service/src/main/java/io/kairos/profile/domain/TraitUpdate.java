package io.kairos.profile.domain;

import java.time.Instant;
import java.util.Map;

/**
 * The profile after an event: all traits, the traits that changed (trait -> new value, null when
 * removed), when each trait got its value, and the first/last seen times.
 */
public record TraitUpdate(Map<String, Object> traits, Map<String, Object> changed, Map<String, Instant> traitTimes,
        Instant firstSeen, Instant lastSeen) {

    public ProfileState state() {
        return new ProfileState(traits, traitTimes, firstSeen, lastSeen);
    }
}
