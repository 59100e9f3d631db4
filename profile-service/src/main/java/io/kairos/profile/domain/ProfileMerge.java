package io.kairos.profile.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The traits of profiles merged into one: each trait takes the value that was set last (by event
 * time), whichever profile holds it; first seen is the earliest, last seen the latest, and the
 * channels are all the channels any of them was seen on. The result does not depend on the order
 * the profiles are given in, except that the survivor's value wins a tie.
 */
public final class ProfileMerge {

    private ProfileMerge() {
    }

    public static ProfileState merge(ProfileState survivor, List<ProfileState> absorbed) {
        List<ProfileState> all = new ArrayList<>();
        all.add(survivor);
        all.addAll(absorbed);

        Map<String, Object> traits = new LinkedHashMap<>();
        Map<String, Instant> times = new HashMap<>();
        for (ProfileState profile : all) {
            profile.traits().forEach((trait, value) -> {
                Instant time = profile.traitTimes().getOrDefault(trait, Instant.MIN);
                Instant best = times.get(trait);
                if (!traits.containsKey(trait) || time.isAfter(best)) {
                    traits.put(trait, value);
                    times.put(trait, time);
                }
            });
        }
        times.values().removeIf(Instant.MIN::equals);

        Instant firstSeen = all.stream().map(ProfileState::firstSeen).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        Instant lastSeen = all.stream().map(ProfileState::lastSeen).filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
        if (firstSeen != null) {
            traits.put(ProfileTraits.FIRST_SEEN, firstSeen.toString());
            traits.put(ProfileTraits.LAST_SEEN, lastSeen.toString());
        }
        Set<String> channels = new TreeSet<>();
        for (ProfileState profile : all) {
            if (profile.traits().get(ProfileTraits.CHANNELS) instanceof Collection<?> seen) {
                seen.stream().filter(String.class::isInstance).map(String.class::cast).forEach(channels::add);
            }
        }
        if (!channels.isEmpty()) {
            traits.put(ProfileTraits.CHANNELS, List.copyOf(channels));
        }
        return new ProfileState(traits, times, firstSeen, lastSeen);
    }
}
