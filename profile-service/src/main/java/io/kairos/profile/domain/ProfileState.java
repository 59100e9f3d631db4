package io.kairos.profile.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What an event is applied to: the profile's traits and when it was first and last seen (null for a new profile). */
public record ProfileState(Map<String, Object> traits, Instant firstSeen, Instant lastSeen) {

    public ProfileState {
        traits = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(traits, "traits")));
    }

    public static ProfileState unseen() {
        return new ProfileState(Map.of(), null, null);
    }
}
