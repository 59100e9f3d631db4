package io.kairos.segment.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentEvaluatorTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private static Condition condition(String json) {
        return SegmentDefinitionParser.parse("{\"name\": \"t\", \"condition\": " + json + "}").condition();
    }

    private static ProfileState traits(Map<String, Value> traits) {
        return new ProfileState(traits, List.of());
    }

    private static boolean member(String conditionJson, ProfileState profile) {
        return SegmentEvaluator.isMember(condition(conditionJson), profile, NOW);
    }

    private static ObservedEvent event(String name, Instant at, Map<String, Value> properties) {
        return new ObservedEvent(name, at, properties);
    }

    @Test
    void comparesTraitsByOperator() {
        ProfileState p = traits(Map.of(
                "plan", new Value.Text("pro"),
                "age", Value.Num.of(30),
                "score", new Value.Num(new java.math.BigDecimal("2.50")),
                "email", new Value.Text("ada@example.com"),
                "$channels", new Value.Items(List.of(new Value.Text("web"), new Value.Text("ios"))),
                "nickname", Value.NULL));

        assertThat(member("{\"trait\": \"plan\", \"eq\": \"pro\"}", p)).isTrue();
        assertThat(member("{\"trait\": \"plan\", \"eq\": \"Pro\"}", p)).isFalse();
        assertThat(member("{\"trait\": \"plan\", \"neq\": \"free\"}", p)).isTrue();
        assertThat(member("{\"trait\": \"score\", \"eq\": 2.5}", p)).as("numbers equal by value").isTrue();
        assertThat(member("{\"trait\": \"age\", \"eq\": \"30\"}", p)).as("no coercion of strings").isFalse();
        assertThat(member("{\"trait\": \"age\", \"gt\": 29}", p)).isTrue();
        assertThat(member("{\"trait\": \"age\", \"gt\": 30}", p)).isFalse();
        assertThat(member("{\"trait\": \"age\", \"gte\": 30}", p)).isTrue();
        assertThat(member("{\"trait\": \"age\", \"lt\": 30}", p)).isFalse();
        assertThat(member("{\"trait\": \"age\", \"lte\": 30}", p)).isTrue();
        assertThat(member("{\"trait\": \"plan\", \"gt\": 1}", p)).as("ordering applies to numbers only").isFalse();
        assertThat(member("{\"trait\": \"plan\", \"in\": [\"free\", \"pro\"]}", p)).isTrue();
        assertThat(member("{\"trait\": \"plan\", \"in\": [\"free\"]}", p)).isFalse();
        assertThat(member("{\"trait\": \"email\", \"contains\": \"@example\"}", p)).isTrue();
        assertThat(member("{\"trait\": \"$channels\", \"contains\": \"ios\"}", p)).isTrue();
        assertThat(member("{\"trait\": \"$channels\", \"contains\": \"pos\"}", p)).isFalse();
        assertThat(member("{\"trait\": \"email\", \"startsWith\": \"ada@\"}", p)).isTrue();
        assertThat(member("{\"trait\": \"email\", \"startsWith\": \"bob\"}", p)).isFalse();
        assertThat(member("{\"trait\": \"email\", \"exists\": true}", p)).isTrue();
        assertThat(member("{\"trait\": \"nickname\", \"exists\": true}", p)).as("null is absent").isFalse();
        assertThat(member("{\"trait\": \"nickname\", \"exists\": false}", p)).isTrue();
    }

    @Test
    void aMissingTraitSatisfiesOnlyNeqAndExistsFalse() {
        ProfileState empty = traits(Map.of());

        assertThat(member("{\"trait\": \"plan\", \"eq\": \"pro\"}", empty)).isFalse();
        assertThat(member("{\"trait\": \"plan\", \"neq\": \"pro\"}", empty)).isTrue();
        assertThat(member("{\"trait\": \"age\", \"lt\": 100}", empty)).isFalse();
        assertThat(member("{\"trait\": \"plan\", \"in\": [\"pro\"]}", empty)).isFalse();
        assertThat(member("{\"trait\": \"plan\", \"contains\": \"p\"}", empty)).isFalse();
        assertThat(member("{\"trait\": \"plan\", \"startsWith\": \"p\"}", empty)).isFalse();
        assertThat(member("{\"trait\": \"plan\", \"exists\": false}", empty)).isTrue();
    }

    @Test
    void combinesWithAllAnyNot() {
        ProfileState p = traits(Map.of("plan", new Value.Text("pro"), "age", Value.Num.of(17)));

        assertThat(member("{\"all\": [{\"trait\": \"plan\", \"eq\": \"pro\"}, {\"trait\": \"age\", \"gte\": 18}]}", p)).isFalse();
        assertThat(member("{\"any\": [{\"trait\": \"plan\", \"eq\": \"pro\"}, {\"trait\": \"age\", \"gte\": 18}]}", p)).isTrue();
        assertThat(member("{\"not\": {\"trait\": \"age\", \"gte\": 18}}", p)).isTrue();
    }

    @Test
    void countsEventsInsideTheWindowOnly() {
        ProfileState p = new ProfileState(Map.of(), List.of(
                event("Order Completed", NOW.minusSeconds(3600), Map.of()),        // exactly at the window start: outside
                event("Order Completed", NOW.minusSeconds(3599), Map.of()),
                event("Order Completed", NOW, Map.of()),                           // exactly now: inside
                event("Order Completed", NOW.plusSeconds(1), Map.of()),            // future: outside
                event("Product Viewed", NOW.minusSeconds(10), Map.of())));

        assertThat(SegmentEvaluator.countMatching((Condition.EventCondition) condition(
                "{\"event\": \"Order Completed\", \"within\": \"PT1H\"}"), p, NOW)).isEqualTo(2);
        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1H\", \"count\": {\"gte\": 2}}", p)).isTrue();
        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1H\", \"count\": {\"gte\": 3}}", p)).isFalse();
        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1H\", \"count\": {\"eq\": 2}}", p)).isTrue();
        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1M\"}", p)).as("at least once").isTrue();
        assertThat(member("{\"event\": \"Signed Up\", \"within\": \"P365D\"}", p)).isFalse();
        assertThat(member("{\"event\": \"Signed Up\", \"within\": \"P365D\", \"count\": {\"lt\": 1}}", p))
                .as("never did it").isTrue();
    }

    @Test
    void filtersEventsByProperties() {
        ProfileState p = new ProfileState(Map.of(), List.of(
                event("Order Completed", NOW.minusSeconds(5), Map.of("revenue", Value.Num.of(120), "currency", new Value.Text("USD"))),
                event("Order Completed", NOW.minusSeconds(4), Map.of("revenue", Value.Num.of(20), "currency", new Value.Text("EUR"))),
                event("Order Completed", NOW.minusSeconds(3), Map.of("currency", new Value.Text("USD")))));

        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1H\", \"count\": {\"eq\": 1},"
                + " \"where\": [{\"property\": \"revenue\", \"gte\": 100}]}", p)).isTrue();
        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1H\", \"count\": {\"eq\": 2},"
                + " \"where\": [{\"property\": \"currency\", \"eq\": \"USD\"}]}", p)).isTrue();
        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1H\", \"count\": {\"eq\": 2},"
                + " \"where\": [{\"property\": \"revenue\", \"neq\": 20}]}", p)).as("missing property passes neq").isTrue();
        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1H\", \"count\": {\"eq\": 1},"
                + " \"where\": [{\"property\": \"currency\", \"in\": [\"EUR\", \"GBP\"]}]}", p)).isTrue();
        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1H\","
                + " \"where\": [{\"property\": \"revenue\", \"lt\": 10}]}", p)).isFalse();
        assertThat(member("{\"event\": \"Order Completed\", \"within\": \"PT1H\", \"count\": {\"eq\": 1}, \"where\": ["
                + "{\"property\": \"currency\", \"eq\": \"USD\"}, {\"property\": \"revenue\", \"lte\": 120}]}", p)).isTrue();
    }

    @Test
    void readsSystemTraitsFromTheSnapshot() {
        ProfileState p = traits(Map.of("$country", new Value.Text("US"), "$timezone", new Value.Text("America/New_York")));

        assertThat(member("{\"trait\": \"$country\", \"in\": [\"US\", \"CA\"]}", p)).isTrue();
        assertThat(member("{\"trait\": \"$timezone\", \"startsWith\": \"America/\"}", p)).isTrue();
        assertThat(member("{\"trait\": \"$region\", \"exists\": true}", p)).isFalse();
    }
}
