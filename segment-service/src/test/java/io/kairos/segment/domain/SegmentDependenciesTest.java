package io.kairos.segment.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentDependenciesTest {

    @Test
    void collectsEventNamesTraitsAndTheLongestWindowThroughEveryBranch() {
        Condition condition = SegmentDefinitionParser.parse("""
                {"name": "x", "condition": {"all": [
                  {"trait": "plan", "eq": "pro"},
                  {"any": [{"event": "Order Completed", "within": "P90D", "count": {"gte": 3}},
                           {"not": {"event": "Refund Issued", "within": "P365D"}}]},
                  {"not": {"trait": "$country", "eq": "US"}}]}}""").condition();

        SegmentDependencies dependencies = SegmentDependencies.of(condition);

        assertThat(dependencies.eventNames()).isEqualTo(Set.of("Order Completed", "Refund Issued"));
        assertThat(dependencies.traitNames()).isEqualTo(Set.of("plan", "$country"));
        assertThat(dependencies.longestWindow()).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void aTraitOnlyConditionNeedsNoEvents() {
        SegmentDependencies dependencies = SegmentDependencies.of(
                SegmentDefinitionParser.parse("{\"name\": \"x\", \"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}}").condition());

        assertThat(dependencies.eventNames()).isEmpty();
        assertThat(dependencies.longestWindow()).isEqualTo(Duration.ZERO);
    }
}
