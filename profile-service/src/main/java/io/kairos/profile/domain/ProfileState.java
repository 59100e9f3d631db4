package io.kairos.profile.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an event is applied to: the profile's traits, when each trait got its value (the time of
 * the event that set it, for merges), and when the profile was first and last seen (null for a
 * new profile).
 */
public record ProfileState(Map<String, Object> traits, Map<String, Instant> traitTimes, Instant firstSeen,
        Instant lastSeen) {

    public ProfileState {
        traits = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(traits, "traits")));
        traitTimes = Map.copyOf(Objects.requireNonNull(traitTimes, "traitTimes"));
    }

    /** A state whose traits' times are not known (they lose to any timed value in a merge). */
    public ProfileState(Map<String, Object> traits, Instant firstSeen, Instant lastSeen) {
        this(traits, Map.of(), firstSeen, lastSeen);
    }

    public static ProfileState unseen() {
        return new ProfileState(Map.of(), Map.of(), null, null);
    }
}
