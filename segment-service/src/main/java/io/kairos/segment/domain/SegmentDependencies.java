package io.kairos.segment.domain;

import io.kairos.segment.domain.Condition.All;
import io.kairos.segment.domain.Condition.Any;
import io.kairos.segment.domain.Condition.EventCondition;
import io.kairos.segment.domain.Condition.Not;
import io.kairos.segment.domain.Condition.TraitCondition;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a condition reads: the event names and traits whose change can flip membership, and the
 * longest event window (how far back events must be loaded to evaluate it).
 */
public record SegmentDependencies(Set<String> eventNames, Set<String> traitNames, Duration longestWindow) {

    public SegmentDependencies {
        eventNames = Set.copyOf(eventNames);
        traitNames = Set.copyOf(traitNames);
    }

    public static SegmentDependencies of(Condition condition) {
        Set<String> events = new TreeSet<>();
        Set<String> traits = new TreeSet<>();
        Duration window = collect(condition, events, traits, Duration.ZERO);
        return new SegmentDependencies(events, traits, window);
    }

    private static Duration collect(Condition condition, Set<String> events, Set<String> traits, Duration longest) {
        return switch (condition) {
            case All all -> all.conditions().stream()
                    .map(c -> collect(c, events, traits, longest))
                    .reduce(longest, SegmentDependencies::max);
            case Any any -> any.conditions().stream()
                    .map(c -> collect(c, events, traits, longest))
                    .reduce(longest, SegmentDependencies::max);
            case Not not -> collect(not.condition(), events, traits, longest);
            case TraitCondition trait -> {
                traits.add(trait.trait());
                yield longest;
            }
            case EventCondition event -> {
                events.add(event.event());
                yield max(longest, event.within());
            }
        };
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
