package io.kairos.segment.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** One tracked event of a profile as the evaluator sees it. */
public record ObservedEvent(String name, Instant timestamp, Map<String, Value> properties) {
    public ObservedEvent {
        Objects.requireNonNull(name);
        Objects.requireNonNull(timestamp);
        properties = Map.copyOf(properties);
    }
}
