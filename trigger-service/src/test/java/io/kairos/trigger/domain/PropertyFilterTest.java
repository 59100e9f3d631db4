package io.kairos.trigger.domain;

import io.kairos.trigger.template.QuteMessageTemplates;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyFilterTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final TriggerDefinitionParser PARSER = new TriggerDefinitionParser(new QuteMessageTemplates());

    /** Builds the filter the way a saved trigger gets it: through the parser. */
    static PropertyFilter filter(String filterJson) {
        var definition = PARSER.parse(JsonTrees.edit(JsonTrees.object(TriggerDefinitionParserTest.CART_RECOVERY),
                "/when/where", "[" + filterJson + "]"));
        return ((Entry.OnEvent) definition.when()).where().getFirst();
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"property": "name", "eq": "Shoe"}           | {"name": "Shoe"}                  | true
            {"property": "name", "eq": "Shoe"}           | {"name": "shoe"}                  | false
            {"property": "name", "eq": "Shoe"}           | {}                                | false
            {"property": "price", "eq": 12.5}            | {"price": 12.50}                  | true
            {"property": "price", "eq": 12}              | {"price": "12"}                   | true
            {"property": "vip", "eq": true}              | {"vip": true}                     | true
            {"property": "vip", "eq": true}              | {"vip": "true"}                   | false
            {"property": "coupon", "eq": null}           | {"coupon": null}                  | true
            {"property": "name", "neq": "Shoe"}          | {"name": "Hat"}                   | true
            {"property": "name", "neq": "Shoe"}          | {}                                | true
            {"property": "name", "neq": "Shoe"}          | {"name": "Shoe"}                  | false
            {"property": "price", "gt": 10}              | {"price": 10.01}                  | true
            {"property": "price", "gt": 10}              | {"price": 10}                     | false
            {"property": "price", "gte": 10}             | {"price": 10}                     | true
            {"property": "price", "lt": 10}              | {"price": "9.99"}                 | true
            {"property": "price", "lt": 10}              | {"price": "cheap"}                | false
            {"property": "price", "lt": 10}              | {}                                | false
            {"property": "price", "lte": 10}             | {"price": 10.0}                   | true
            {"property": "size", "in": ["S", "M"]}       | {"size": "M"}                     | true
            {"property": "size", "in": ["S", "M"]}       | {"size": "L"}                     | false
            {"property": "qty", "in": [1, 2]}            | {"qty": 2.0}                      | true
            {"property": "title", "contains": "shoe"}    | {"title": "red shoes"}            | true
            {"property": "tags", "contains": "sale"}     | {"tags": ["new", "sale"]}         | true
            {"property": "tags", "contains": "sale"}     | {"tags": ["new"]}                 | false
            {"property": "sku", "startsWith": "AB-"}     | {"sku": "AB-123"}                 | true
            {"property": "sku", "startsWith": "AB-"}     | {"sku": 123}                      | false
            {"property": "coupon", "exists": true}       | {"coupon": "X"}                   | true
            {"property": "coupon", "exists": true}       | {"coupon": null}                  | false
            {"property": "coupon", "exists": false}      | {}                                | true
            {"property": "product.sku", "eq": "A1"}      | {"product": {"sku": "A1"}}        | true
            {"property": "product.sku", "eq": "A1"}      | {"product.sku": "A1"}             | true
            {"property": "product.sku", "exists": true}  | {"product": "A1"}                 | false
            {"property": "addedAt", "withinLast": "PT1H"} | {"addedAt": "2025-06-01T11:30:00Z"} | true
            {"property": "addedAt", "withinLast": "PT1H"} | {"addedAt": "2025-06-01T10:30:00Z"} | false
            {"property": "addedAt", "withinLast": "PT1H"} | {"addedAt": "2025-06-01T12:30:00Z"} | false
            {"property": "addedAt", "withinLast": "PT1H"} | {"addedAt": 1748777400000}        | true
            {"property": "addedAt", "before": "2025-06-01"} | {"addedAt": "2025-05-31T23:59:59+00:00"} | true
            {"property": "addedAt", "after": "2025-06-01T00:00:00Z"} | {"addedAt": "2025-06-01T02:00:00+02:00"} | false
            {"property": "addedAt", "after": "2025-06-01T00:00:00Z"} | {"addedAt": "not a date"}  | false
            """)
    void matches(String filterJson, String propertiesJson, boolean expected) {
        assertThat(filter(filterJson).matches(JsonTrees.object(propertiesJson), NOW)).isEqualTo(expected);
    }

    @Property
    void neqIsTheNegationOfEq(@ForAll @IntRange(min = -5, max = 5) int operand,
                              @ForAll @IntRange(min = -6, max = 5) int value) {
        // -6 stands for "property absent"
        Map<String, Object> properties = value == -6 ? Map.of() : Map.of("x", value);
        boolean eq = filter("{\"property\": \"x\", \"eq\": " + operand + "}").matches(properties, NOW);
        boolean neq = filter("{\"property\": \"x\", \"neq\": " + operand + "}").matches(properties, NOW);
        assertThat(neq).isEqualTo(!eq);
        assertThat(eq).isEqualTo(value == operand);
    }

    @Property
    void gtAndLteSplitEveryNumber(@ForAll @IntRange(min = -1000, max = 1000) int bound,
                                  @ForAll @IntRange(min = -100_000, max = 100_000) int hundredths) {
        Map<String, Object> properties = JsonTrees.object("{\"x\": " + hundredths / 100.0 + "}");
        boolean gt = filter("{\"property\": \"x\", \"gt\": " + bound + "}").matches(properties, NOW);
        boolean lte = filter("{\"property\": \"x\", \"lte\": " + bound + "}").matches(properties, NOW);
        assertThat(gt).isNotEqualTo(lte);
        assertThat(gt).isEqualTo(hundredths / 100.0 > bound);
    }
}
