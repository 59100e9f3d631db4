package io.kairos.segment.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AudienceEstimateTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private static Condition condition(String json) {
        return SegmentDefinitionParser.parseDraft(("{\"condition\": " + json + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ProfileState plan(String plan) {
        return new ProfileState(Map.of("plan", new Value.Text(plan)), List.of());
    }

    @Test
    void countsWhatTheConditionHoldsForAndSamplesTheFirstMembers() {
        AudienceEstimate estimate = new AudienceEstimate(condition("{\"trait\": \"plan\", \"eq\": \"pro\"}"), NOW, 2);

        estimate.evaluate("p-1", plan("free"));
        estimate.evaluate("p-2", plan("pro"));
        estimate.evaluate("p-3", plan("pro"));
        estimate.evaluate("p-4", new ProfileState(Map.of(), List.of()));
        estimate.evaluate("p-5", plan("pro"));

        assertThat(estimate.evaluatedProfiles()).isEqualTo(5);
        assertThat(estimate.estimatedSize()).isEqualTo(3);
        assertThat(estimate.sample()).containsExactly("p-2", "p-3");
    }

    @Test
    void evaluatesEventsAtItsInstant() {
        Condition twoOrders = condition("{\"event\": \"Order\", \"within\": \"PT1H\", \"count\": {\"gte\": 2}}");
        ObservedEvent recent = new ObservedEvent("Order", NOW.minus(Duration.ofMinutes(10)), Map.of());
        ObservedEvent older = new ObservedEvent("Order", NOW.minus(Duration.ofMinutes(50)), Map.of());
        ObservedEvent outside = new ObservedEvent("Order", NOW.minus(Duration.ofHours(2)), Map.of());
        AudienceEstimate now = new AudienceEstimate(twoOrders, NOW, 10);
        AudienceEstimate later = new AudienceEstimate(twoOrders, NOW.plus(Duration.ofMinutes(15)), 10);

        for (AudienceEstimate estimate : List.of(now, later)) {
            estimate.evaluate("p-1", new ProfileState(Map.of(), List.of(recent, older)));
            estimate.evaluate("p-2", new ProfileState(Map.of(), List.of(recent, outside)));
        }

        assertThat(now.sample()).containsExactly("p-1");
        assertThat(now.estimatedSize()).isEqualTo(1);
        assertThat(later.estimatedSize()).as("the older order has left the window").isZero();
        assertThat(later.evaluatedProfiles()).isEqualTo(2);
    }

    @Test
    void anEmptySampleStillCounts() {
        AudienceEstimate estimate = new AudienceEstimate(condition("{\"trait\": \"plan\", \"exists\": true}"), NOW, 0);

        estimate.evaluate("p-1", plan("pro"));

        assertThat(estimate.estimatedSize()).isEqualTo(1);
        assertThat(estimate.sample()).isEmpty();
    }
}
