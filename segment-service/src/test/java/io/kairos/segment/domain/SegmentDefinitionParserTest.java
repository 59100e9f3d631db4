package io.kairos.segment.domain;

import io.kairos.segment.domain.Condition.All;
import io.kairos.segment.domain.Condition.Any;
import io.kairos.segment.domain.Condition.Comparison;
import io.kairos.segment.domain.Condition.CountThreshold;
import io.kairos.segment.domain.Condition.EventCondition;
import io.kairos.segment.domain.Condition.Not;
import io.kairos.segment.domain.Condition.PropertyFilter;
import io.kairos.segment.domain.Condition.PropertyOperator;
import io.kairos.segment.domain.Condition.TraitCondition;
import io.kairos.segment.domain.Condition.TraitOperator;
import io.kairos.segment.domain.DefinitionError.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SegmentDefinitionParserTest {

    @Test
    void parsesEverySupportedConstructIntoTheTree() {
        SegmentDefinition definition = SegmentDefinitionParser.parse("""
                {"name": "Engaged pros",
                 "condition": {"all": [
                   {"trait": "plan", "eq": "pro"},
                   {"any": [{"trait": "age", "gte": 18}, {"trait": "$country", "in": ["US", "CA"]}]},
                   {"not": {"trait": "email", "exists": false}},
                   {"event": "Order Completed", "within": "P90D", "count": {"gte": 3},
                    "where": [{"property": "revenue", "gt": 10.5}, {"property": "currency", "in": ["USD"]}]},
                   {"event": "Signed In", "within": "PT1H"}
                 ]}}""");

        assertThat(definition.name()).isEqualTo("Engaged pros");
        assertThat(definition.condition()).isEqualTo(new All(List.of(
                new TraitCondition("plan", TraitOperator.EQ, new Value.Text("pro")),
                new Any(List.of(
                        new TraitCondition("age", TraitOperator.GTE, Value.Num.of(18)),
                        new TraitCondition("$country", TraitOperator.IN,
                                new Value.Items(List.of(new Value.Text("US"), new Value.Text("CA")))))),
                new Not(new TraitCondition("email", TraitOperator.EXISTS, new Value.Bool(false))),
                new EventCondition("Order Completed", Duration.ofDays(90), List.of(
                        new PropertyFilter("revenue", PropertyOperator.GT, new Value.Num(new java.math.BigDecimal("10.5"))),
                        new PropertyFilter("currency", PropertyOperator.IN, new Value.Items(List.of(new Value.Text("USD"))))),
                        new CountThreshold(Comparison.GTE, 3)),
                new EventCondition("Signed In", Duration.ofHours(1), List.of(), CountThreshold.AT_LEAST_ONCE))));
    }

    @Test
    void keepsTheAcceptedDocumentAsCanonicalJson() {
        SegmentDefinition definition = SegmentDefinitionParser.parse("""
                { "name" : "Pro",   "condition" : { "trait" : "plan", "eq" : "pro" } }""");

        assertThat(definition.canonicalJson()).isEqualTo("{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}");
        assertThat(SegmentDefinitionParser.parse(definition.canonicalJson())).isEqualTo(definition);
    }

    static Stream<Arguments> invalidDefinitions() {
        return Stream.of(
                Arguments.of("not json", Reason.INVALID_JSON, ""),
                Arguments.of("", Reason.INVALID_JSON, ""),
                Arguments.of("{\"name\": \"a\", \"name\": \"b\", \"condition\": {\"trait\": \"x\", \"exists\": true}}", Reason.INVALID_JSON, ""),
                Arguments.of("[]", Reason.INVALID_VALUE_TYPE, ""),
                Arguments.of("{\"name\": \"Typo\", \"conditon\": {}}", Reason.UNKNOWN_FIELD, "/conditon"),
                Arguments.of("{\"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}}", Reason.MISSING_FIELD, "/name"),
                Arguments.of("{\"name\": 7, \"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}}", Reason.INVALID_VALUE_TYPE, "/name"),
                Arguments.of("{\"name\": \"  \", \"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}}", Reason.INVALID_VALUE, "/name"),
                Arguments.of("{\"name\": \"" + "n".repeat(201) + "\", \"condition\": {\"trait\": \"p\", \"eq\": 1}}", Reason.INVALID_VALUE, "/name"),
                Arguments.of("{\"name\": \"x\"}", Reason.MISSING_FIELD, "/condition"),
                Arguments.of("{\"name\": \"x\", \"condition\": []}", Reason.INVALID_VALUE_TYPE, "/condition"),
                Arguments.of("{\"name\": \"x\", \"condition\": {}}", Reason.UNKNOWN_CONDITION, "/condition"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"sometimes\": 1}}", Reason.UNKNOWN_CONDITION, "/condition/sometimes"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"all\": [{\"trait\": \"plan\", \"equals\": \"pro\"}]}}",
                        Reason.UNKNOWN_OPERATOR, "/condition/all/0/equals"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"all\": []}}", Reason.EMPTY_GROUP, "/condition/all"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"any\": []}}", Reason.EMPTY_GROUP, "/condition/any"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"any\": {\"trait\": \"a\", \"eq\": 1}}}", Reason.INVALID_VALUE_TYPE, "/condition/any"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"all\": [{\"trait\": \"a\", \"eq\": 1}], \"trait\": \"b\"}}",
                        Reason.AMBIGUOUS_CONDITION, "/condition/trait"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"not\": {\"trait\": \"a\", \"eq\": 1}, \"label\": \"x\"}}",
                        Reason.UNKNOWN_FIELD, "/condition/label"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"not\": 3}}", Reason.INVALID_VALUE_TYPE, "/condition/not"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"plan\"}}", Reason.MISSING_OPERATOR, "/condition"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"age\", \"gte\": 18, \"lt\": 65}}", Reason.MULTIPLE_OPERATORS, "/condition/lt"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"\", \"eq\": 1}}", Reason.INVALID_VALUE, "/condition/trait"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": 4, \"eq\": 1}}", Reason.INVALID_VALUE_TYPE, "/condition/trait"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"$favouriteColour\", \"eq\": 1}}", Reason.UNKNOWN_SYSTEM_TRAIT, "/condition/trait"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"age\", \"gt\": \"18\"}}", Reason.INVALID_VALUE_TYPE, "/condition/gt"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"plan\", \"eq\": [\"pro\"]}}", Reason.INVALID_VALUE_TYPE, "/condition/eq"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"plan\", \"eq\": null}}", Reason.INVALID_VALUE_TYPE, "/condition/eq"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"plan\", \"in\": \"pro\"}}", Reason.INVALID_VALUE_TYPE, "/condition/in"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"plan\", \"in\": []}}", Reason.INVALID_VALUE, "/condition/in"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"plan\", \"in\": [\"a\", {}]}}", Reason.INVALID_VALUE_TYPE, "/condition/in/1"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"email\", \"exists\": \"yes\"}}", Reason.INVALID_VALUE_TYPE, "/condition/exists"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"email\", \"startsWith\": 1}}", Reason.INVALID_VALUE_TYPE, "/condition/startsWith"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"a/b~c\", \"equals\": 1}}", Reason.UNKNOWN_OPERATOR, "/condition/equals"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"$firstSeen\", \"withinLast\": \"P7D\"}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/withinLast"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"trait\": \"$lastSeen\", \"before\": \"2024-01-01T00:00:00Z\"}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/before"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1M\"}}", Reason.INVALID_DURATION, "/condition/within"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"ninety days\"}}", Reason.INVALID_DURATION, "/condition/within"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"PT0S\"}}", Reason.INVALID_DURATION, "/condition/within"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"-PT1H\"}}", Reason.INVALID_DURATION, "/condition/within"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": 3600}}", Reason.INVALID_VALUE_TYPE, "/condition/within"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\"}}", Reason.MISSING_FIELD, "/condition/within"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"\", \"within\": \"P1D\"}}", Reason.INVALID_VALUE, "/condition/event"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"times\": 2}}", Reason.UNKNOWN_FIELD, "/condition/times"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"count\": 2}}", Reason.INVALID_VALUE_TYPE, "/condition/count"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"count\": {\"atLeast\": 2}}}",
                        Reason.UNKNOWN_OPERATOR, "/condition/count/atLeast"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"count\": {}}}", Reason.MISSING_OPERATOR, "/condition/count"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"count\": {\"gte\": 1.5}}}",
                        Reason.INVALID_VALUE_TYPE, "/condition/count/gte"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"count\": {\"gte\": -1}}}",
                        Reason.INVALID_VALUE, "/condition/count/gte"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"count\": {\"gte\": \"2\"}}}",
                        Reason.INVALID_VALUE_TYPE, "/condition/count/gte"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"where\": {}}}", Reason.INVALID_VALUE_TYPE, "/condition/where"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"where\": []}}", Reason.INVALID_VALUE, "/condition/where"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"where\": [{\"eq\": 1}]}}",
                        Reason.MISSING_FIELD, "/condition/where/0/property"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"where\": [{\"property\": \"p\", \"like\": 1}]}}",
                        Reason.UNKNOWN_OPERATOR, "/condition/where/0/like"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"where\": [{\"property\": \"p\", \"lt\": true}]}}",
                        Reason.INVALID_VALUE_TYPE, "/condition/where/0/lt"),
                // Parts of the DESIGN.md DSL that are not evaluated yet: rejected, never ignored.
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"sum\": {\"property\": \"revenue\", \"gte\": 5}}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/sum"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"all\": [{\"event\": \"Order\", \"within\": \"P1D\", \"avg\": {\"property\": \"r\", \"gte\": 5}}]}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/all/0/avg"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"min\": {\"property\": \"r\", \"gte\": 5}, \"within\": \"P1D\"}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/min"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"max\": {\"property\": \"r\", \"gte\": 5}}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/max"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"between\": [\"2024-01-01\", \"2024-02-01\"]}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/between"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Cart\", \"within\": \"PT30M\", \"notFollowedBy\": {\"event\": \"Order\"}}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/notFollowedBy"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"channels\": {\"gte\": 3}, \"within\": \"P30D\"}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/channels"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"sequence\": [{\"event\": \"A\"}, {\"event\": \"B\"}], \"within\": \"P7D\"}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/sequence"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"any\": [{\"trait\": \"a\", \"eq\": 1}, {\"segment\": \"seg-1\"}]}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/any/1/segment"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"where\": [{\"context\": \"channel\", \"eq\": \"web\"}]}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/where/0/context"),
                Arguments.of("{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"where\": [{\"property\": \"sku\", \"startsWith\": \"A\"}]}}",
                        Reason.UNSUPPORTED_CONDITION, "/condition/where/0/startsWith"));
    }

    @ParameterizedTest(name = "{1} at ''{2}'': {0}")
    @MethodSource("invalidDefinitions")
    void rejectsWithReasonAndPointer(String json, Reason reason, String pointer) {
        InvalidDefinitionException rejected = catchThrowableOfType(InvalidDefinitionException.class,
                () -> SegmentDefinitionParser.parse(json));

        assertThat(rejected).as("rejected").isNotNull();
        assertThat(rejected.error().reason()).isEqualTo(reason);
        assertThat(rejected.error().pointer()).isEqualTo(pointer);
        assertThat(rejected.error().message()).isNotBlank();
    }

    @Test
    void aDraftMayLeaveOutTheName() {
        Condition condition = SegmentDefinitionParser.parseDraft(
                "{\"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(condition).isEqualTo(new TraitCondition("plan", TraitOperator.EQ, new Value.Text("pro")));
    }

    /** Everything but a missing name is refused in a draft exactly as in a definition to store. */
    static Stream<Arguments> invalidDrafts() {
        return invalidDefinitions().filter(args -> !(args.get()[1] == Reason.MISSING_FIELD && "/name".equals(args.get()[2])));
    }

    @ParameterizedTest(name = "{1} at ''{2}'': {0}")
    @MethodSource("invalidDrafts")
    void rejectsDraftsAsDefinitions(String json, Reason reason, String pointer) {
        InvalidDefinitionException rejected = catchThrowableOfType(InvalidDefinitionException.class,
                () -> SegmentDefinitionParser.parseDraft(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(rejected).as("rejected").isNotNull();
        assertThat(rejected.error().reason()).isEqualTo(reason);
        assertThat(rejected.error().pointer()).isEqualTo(pointer);
    }

    @Test
    void escapesKeysInPointers() {
        InvalidDefinitionException rejected = catchThrowableOfType(InvalidDefinitionException.class,
                () -> SegmentDefinitionParser.parse("{\"name\": \"x\", \"condition\": {\"trait\": \"t\", \"a/b~c\": 1}}"));

        assertThat(rejected.error().pointer()).isEqualTo("/condition/a~1b~0c");
    }

    @Test
    void rejectsConditionsNestedTooDeep() {
        String condition = "{\"trait\": \"a\", \"eq\": 1}";
        for (int i = 0; i < SegmentDefinitionParser.MAX_DEPTH; i++) {
            condition = "{\"not\": " + condition + "}";
        }
        String json = "{\"name\": \"deep\", \"condition\": " + condition + "}";

        InvalidDefinitionException rejected = catchThrowableOfType(InvalidDefinitionException.class,
                () -> SegmentDefinitionParser.parse(json));

        assertThat(rejected.error().reason()).isEqualTo(Reason.INVALID_VALUE);
        assertThat(rejected.error().pointer()).startsWith("/condition/not/not");
    }

    @Test
    void acceptsWholeNumbersWrittenWithADecimalPoint() {
        SegmentDefinition definition = SegmentDefinitionParser.parse(
                "{\"name\": \"x\", \"condition\": {\"event\": \"Order\", \"within\": \"P1D\", \"count\": {\"gte\": 2.0}}}");

        assertThat(((EventCondition) definition.condition()).count()).isEqualTo(new CountThreshold(Comparison.GTE, 2));
    }
}
