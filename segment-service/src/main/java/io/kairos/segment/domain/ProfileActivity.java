package io.kairos.segment.domain;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one resolved event tells segment-service about a profile: the traits snapshot after it
 * (absent when the message carried none), the traits it says it changed, and the tracked event
 * itself if it was one.
 */
public record ProfileActivity(String workspace, String profileId, String messageId,
                              Optional<Map<String, Value>> traits, Set<String> changedTraits,
                              Optional<ObservedEvent> event) {
    public ProfileActivity {
        Objects.requireNonNull(workspace);
        Objects.requireNonNull(profileId);
        Objects.requireNonNull(messageId);
        traits = traits.map(Map::copyOf);
        changedTraits = Set.copyOf(changedTraits);
        Objects.requireNonNull(event);
    }

    /** Traits whose value differs between two snapshots (added, removed or changed). */
    public static Set<String> differingTraits(Map<String, Value> before, Map<String, Value> after) {
        Set<String> changed = new java.util.TreeSet<>();
        before.forEach((name, value) -> {
            if (!value.equals(after.get(name))) {
                changed.add(name);
            }
        });
        after.keySet().stream().filter(name -> !before.containsKey(name)).forEach(changed::add);
        return changed;
    }
}
