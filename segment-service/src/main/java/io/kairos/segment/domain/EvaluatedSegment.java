package io.kairos.segment.domain;

import java.util.Objects;

/** A stored segment ready to be evaluated: its identity, version and parsed condition. */
public record EvaluatedSegment(String segmentId, int version, Condition condition) {
    public EvaluatedSegment {
        Objects.requireNonNull(segmentId);
        Objects.requireNonNull(condition);
    }
}
