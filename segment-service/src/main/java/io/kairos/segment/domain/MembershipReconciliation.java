package io.kairos.segment.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Compares what the conditions say now with the memberships on record. */
public final class MembershipReconciliation {

    private MembershipReconciliation() {
    }

    /**
     * The transitions that bring {@code currentMembers} (segment ids the profile is recorded in) in
     * line with the evaluation of {@code segments} at {@code at}; segments not evaluated are untouched.
     */
    public static List<MembershipTransition> reconcile(Collection<EvaluatedSegment> segments, ProfileState profile,
                                                       Set<String> currentMembers, Instant at) {
        List<MembershipTransition> transitions = new ArrayList<>();
        for (EvaluatedSegment segment : segments) {
            boolean member = SegmentEvaluator.isMember(segment.condition(), profile, at);
            boolean recorded = currentMembers.contains(segment.segmentId());
            if (member && !recorded) {
                transitions.add(new MembershipTransition(segment.segmentId(), segment.version(),
                        MembershipTransition.Direction.ENTERED));
            } else if (!member && recorded) {
                transitions.add(new MembershipTransition(segment.segmentId(), segment.version(),
                        MembershipTransition.Direction.EXITED));
            }
        }
        return transitions;
    }
}
