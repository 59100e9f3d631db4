package io.kairos.segment.domain;

import io.kairos.segment.domain.MembershipTransition.Direction;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MembershipReconciliationTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private static EvaluatedSegment segment(String id, String conditionJson) {
        return new EvaluatedSegment(id, 1,
                SegmentDefinitionParser.parse("{\"name\": \"" + id + "\", \"condition\": " + conditionJson + "}").condition());
    }

    @Test
    void entersWhatHoldsAndExitsWhatNoLongerHolds() {
        List<EvaluatedSegment> segments = List.of(
                segment("pro", "{\"trait\": \"plan\", \"eq\": \"pro\"}"),
                segment("free", "{\"trait\": \"plan\", \"eq\": \"free\"}"),
                segment("adult", "{\"trait\": \"age\", \"gte\": 18}"));
        ProfileState profile = new ProfileState(Map.of("plan", new Value.Text("pro"), "age", Value.Num.of(40)), List.of());

        List<MembershipTransition> transitions =
                MembershipReconciliation.reconcile(segments, profile, Set.of("free", "adult"), NOW);

        assertThat(transitions).containsExactly(
                new MembershipTransition("pro", 1, Direction.ENTERED),
                new MembershipTransition("free", 1, Direction.EXITED));
    }

    @Test
    void changeIdsAreDeterministicPerCauseAndDistinctOtherwise() {
        MembershipTransition entered = new MembershipTransition("s-1", 1, Direction.ENTERED);

        assertThat(entered.changeId("ws", "p-1", "m-1")).isEqualTo(entered.changeId("ws", "p-1", "m-1"));
        assertThat(Set.of(
                entered.changeId("ws", "p-1", "m-1"),
                entered.changeId("ws", "p-1", "m-2"),
                entered.changeId("ws", "p-2", "m-1"),
                entered.changeId("other", "p-1", "m-1"),
                new MembershipTransition("s-1", 2, Direction.ENTERED).changeId("ws", "p-1", "m-1"),
                new MembershipTransition("s-1", 1, Direction.EXITED).changeId("ws", "p-1", "m-1"))).hasSize(6);
    }

    @Test
    void diffsTraitSnapshots() {
        Map<String, Value> before = Map.of("plan", new Value.Text("pro"), "age", Value.Num.of(30), "gone", Value.NULL);
        Map<String, Value> after = Map.of("plan", new Value.Text("free"), "age", new Value.Num(new java.math.BigDecimal("30.0")),
                "new", new Value.Bool(true));

        assertThat(ProfileActivity.differingTraits(before, after)).containsExactlyInAnyOrder("plan", "gone", "new");
    }
}
