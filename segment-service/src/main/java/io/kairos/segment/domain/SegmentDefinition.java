package io.kairos.segment.domain;

import java.util.Objects;

/**
 * A validated segment definition. {@code canonicalJson} is the document as accepted (compact,
 * keys in the author's order): what is stored and handed back, and parsed again to evaluate.
 */
public record SegmentDefinition(String name, Condition condition, String canonicalJson) {
    public SegmentDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(condition);
        Objects.requireNonNull(canonicalJson);
    }
}
