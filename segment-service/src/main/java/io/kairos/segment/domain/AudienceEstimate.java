package io.kairos.segment.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audience of an unsaved condition at one instant, as the real-time evaluator decides membership:
 * how many of the profiles evaluated it holds for, and the first {@code sampleSize} of those in the
 * order they were evaluated.
 */
public final class AudienceEstimate {

    private final Condition condition;
    private final Instant at;
    private final int sampleSize;
    private final List<String> sample = new ArrayList<>();
    private long evaluated;
    private long size;

    public AudienceEstimate(Condition condition, Instant at, int sampleSize) {
        if (sampleSize < 0) {
            throw new IllegalArgumentException("sample size " + sampleSize + " is negative");
        }
        this.condition = Objects.requireNonNull(condition);
        this.at = Objects.requireNonNull(at);
        this.sampleSize = sampleSize;
    }

    public void evaluate(String profileId, ProfileState profile) {
        evaluated++;
        if (SegmentEvaluator.isMember(condition, profile, at)) {
            size++;
            if (sample.size() < sampleSize) {
                sample.add(profileId);
            }
        }
    }

    public Condition condition() {
        return condition;
    }

    public Instant at() {
        return at;
    }

    public long evaluatedProfiles() {
        return evaluated;
    }

    public long estimatedSize() {
        return size;
    }

    public List<String> sample() {
        return List.copyOf(sample);
    }
}
