package io.kairos.segment.domain;

import java.util.List;
import java.util.Map;

/**
 * What the evaluator knows of one profile: its traits snapshot (system traits such as
 * {@code $firstSeen} included) and the events that segment conditions may count.
 */
public record ProfileState(Map<String, Value> traits, List<ObservedEvent> events) {
    public ProfileState {
        traits = Map.copyOf(traits);
        events = List.copyOf(events);
    }

    /** The trait's value, or null when the profile does not have it. */
    public Value trait(String name) {
        return traits.get(name);
    }
}
