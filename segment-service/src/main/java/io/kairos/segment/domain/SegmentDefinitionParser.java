package io.kairos.segment.domain;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kairos.segment.domain.Condition.Comparison;
import io.kairos.segment.domain.Condition.CountThreshold;
import io.kairos.segment.domain.Condition.PropertyFilter;
import io.kairos.segment.domain.Condition.PropertyOperator;
import io.kairos.segment.domain.Condition.TraitOperator;
import io.kairos.segment.domain.DefinitionError.Reason;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses and validates a segment definition ({@code {"name", "condition"}}, see DESIGN.md).
 * Everything it does not understand is rejected with the JSON pointer of the offending field:
 * an unknown key is an error, never ignored, and parts of the DSL that are not evaluated yet
 * are rejected as {@link Reason#UNSUPPORTED_CONDITION}.
 */
public final class SegmentDefinitionParser {

    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_DEPTH = 32;
    public static final Set<String> SYSTEM_TRAITS =
            Set.of("$firstSeen", "$lastSeen", "$timezone", "$country", "$region", "$channels");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final List<String> KINDS = List.of("all", "any", "not", "trait", "event");
    private static final Map<String, String> UNSUPPORTED_KINDS = Map.of(
            "channels", "cross-channel conditions",
            "sequence", "sequence conditions",
            "segment", "segment references");
    private static final Map<String, String> UNSUPPORTED_EVENT_FIELDS = Map.of(
            "between", "absolute windows ('between')",
            "sum", "the 'sum' aggregate",
            "avg", "the 'avg' aggregate",
            "min", "the 'min' aggregate",
            "max", "the 'max' aggregate",
            "notFollowedBy", "absence conditions ('notFollowedBy')");
    private static final Set<String> UNSUPPORTED_OPERATORS = Set.of("withinLast", "before", "after");
    private static final Set<String> UNSUPPORTED_FILTER_OPERATORS =
            Set.of("contains", "startsWith", "exists", "withinLast", "before", "after");
    private static final String KIND_LIST = String.join(", ", KINDS);

    private SegmentDefinitionParser() {
    }

    public static SegmentDefinition parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static SegmentDefinition parse(byte[] json) {
        JsonNode root = document(json);
        return new SegmentDefinition(name(root), condition(root), root.toString());
    }

    /**
     * The condition of a definition that is not to be stored (a preview): validated as {@link #parse},
     * except that the name may be left out.
     */
    public static Condition parseDraft(byte[] json) {
        JsonNode root = document(json);
        if (root.has("name")) {
            name(root);
        }
        return condition(root);
    }

    private static String name(JsonNode root) {
        String name = requiredText(root, "", "name");
        if (name.length() > MAX_NAME_LENGTH) {
            throw fail(Reason.INVALID_VALUE, "/name", "the name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    private static JsonNode document(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw fail(Reason.INVALID_JSON, "", "the definition is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw fail(Reason.INVALID_JSON, "", "the definition could not be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw fail(Reason.INVALID_JSON, "", "the definition is empty");
        }
        if (!root.isObject()) {
            throw fail(Reason.INVALID_VALUE_TYPE, "", "a segment definition is a JSON object {\"name\", \"condition\"}");
        }
        rejectUnknownFields(root, "", Set.of("name", "condition"), "a segment definition has only 'name' and 'condition'");
        return root;
    }

    private static Condition condition(JsonNode root) {
        if (!root.has("condition")) {
            throw fail(Reason.MISSING_FIELD, "/condition", "a segment definition needs a 'condition'");
        }
        return condition(root.get("condition"), "/condition", 1);
    }

    private static Condition condition(JsonNode node, String at, int depth) {
        if (depth > MAX_DEPTH) {
            throw fail(Reason.INVALID_VALUE, at, "conditions are nested deeper than " + MAX_DEPTH + " levels");
        }
        if (!node.isObject()) {
            throw fail(Reason.INVALID_VALUE_TYPE, at, "a condition is a JSON object with one of " + KIND_LIST);
        }
        List<String> keys = fieldNames(node);
        Optional<String> unsupported = keys.stream().filter(UNSUPPORTED_KINDS::containsKey).findFirst();
        if (unsupported.isPresent()) {
            String kind = unsupported.get();
            throw fail(Reason.UNSUPPORTED_CONDITION, child(at, kind),
                    UNSUPPORTED_KINDS.get(kind) + " ('" + kind + "') are not supported yet");
        }
        List<String> kinds = keys.stream().filter(KINDS::contains).toList();
        if (kinds.isEmpty()) {
            if (keys.isEmpty()) {
                throw fail(Reason.UNKNOWN_CONDITION, at, "empty condition; expected one of " + KIND_LIST);
            }
            throw fail(Reason.UNKNOWN_CONDITION, child(at, keys.getFirst()),
                    "'" + keys.getFirst() + "' does not start a condition; expected one of " + KIND_LIST);
        }
        if (kinds.size() > 1) {
            throw fail(Reason.AMBIGUOUS_CONDITION, child(at, kinds.get(1)),
                    "a condition has exactly one of " + KIND_LIST + "; found both '" + kinds.get(0)
                            + "' and '" + kinds.get(1) + "'");
        }
        return switch (kinds.getFirst()) {
            case "all" -> new Condition.All(group(node, at, "all", depth));
            case "any" -> new Condition.Any(group(node, at, "any", depth));
            case "not" -> {
                rejectUnknownFields(node, at, Set.of("not"), "'not' stands alone in its object");
                yield new Condition.Not(condition(node.get("not"), child(at, "not"), depth + 1));
            }
            case "trait" -> trait(node, at);
            case "event" -> event(node, at);
            default -> throw new IllegalStateException("unhandled condition kind " + kinds.getFirst());
        };
    }

    private static List<Condition> group(JsonNode node, String at, String key, int depth) {
        rejectUnknownFields(node, at, Set.of(key), "'" + key + "' stands alone in its object");
        JsonNode items = node.get(key);
        String itemsAt = child(at, key);
        if (!items.isArray()) {
            throw fail(Reason.INVALID_VALUE_TYPE, itemsAt, "'" + key + "' takes an array of conditions");
        }
        if (items.isEmpty()) {
            throw fail(Reason.EMPTY_GROUP, itemsAt, "'" + key + "' needs at least one condition");
        }
        List<Condition> conditions = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            conditions.add(condition(items.get(i), itemsAt + "/" + i, depth + 1));
        }
        return conditions;
    }

    private static Condition trait(JsonNode node, String at) {
        String operatorKey = singleOperator(node, at, "trait", key -> enumKey(TraitOperator.values(), key, o -> o.key),
                UNSUPPORTED_OPERATORS, "trait");
        String trait = requiredText(node, at, "trait");
        if (trait.startsWith("$") && !SYSTEM_TRAITS.contains(trait)) {
            throw fail(Reason.UNKNOWN_SYSTEM_TRAIT, child(at, "trait"), "'" + trait
                    + "' is not a system trait; system traits are " + String.join(", ", sorted(SYSTEM_TRAITS)));
        }
        TraitOperator operator = enumKey(TraitOperator.values(), operatorKey, o -> o.key).orElseThrow();
        String operandAt = child(at, operatorKey);
        JsonNode operand = node.get(operatorKey);
        Value value = switch (operator) {
            case EQ, NEQ, CONTAINS -> scalar(operand, operandAt, operatorKey);
            case GT, GTE, LT, LTE -> number(operand, operandAt, operatorKey);
            case IN -> scalarList(operand, operandAt);
            case STARTS_WITH -> {
                if (!operand.isTextual()) {
                    throw fail(Reason.INVALID_VALUE_TYPE, operandAt, "'startsWith' takes a string");
                }
                yield JsonValueReader.read(operand);
            }
            case EXISTS -> {
                if (!operand.isBoolean()) {
                    throw fail(Reason.INVALID_VALUE_TYPE, operandAt, "'exists' takes true or false");
                }
                yield JsonValueReader.read(operand);
            }
        };
        return new Condition.TraitCondition(trait, operator, value);
    }

    private static Condition event(JsonNode node, String at) {
        for (String key : fieldNames(node)) {
            if (UNSUPPORTED_EVENT_FIELDS.containsKey(key)) {
                throw fail(Reason.UNSUPPORTED_CONDITION, child(at, key),
                        UNSUPPORTED_EVENT_FIELDS.get(key) + " are not supported yet");
            }
        }
        rejectUnknownFields(node, at, Set.of("event", "within", "where", "count"),
                "an event condition has 'event', 'within', optional 'where' and optional 'count'");
        String event = requiredText(node, at, "event");
        Duration within = window(node, at);
        List<PropertyFilter> where = node.has("where") ? filters(node.get("where"), child(at, "where")) : List.of();
        CountThreshold count = node.has("count") ? count(node.get("count"), child(at, "count")) : CountThreshold.AT_LEAST_ONCE;
        return new Condition.EventCondition(event, within, where, count);
    }

    private static Duration window(JsonNode node, String at) {
        String withinAt = child(at, "within");
        if (!node.has("within")) {
            throw fail(Reason.MISSING_FIELD, withinAt,
                    "an event condition needs 'within', an ISO-8601 duration such as PT30M or P90D");
        }
        JsonNode within = node.get("within");
        if (!within.isTextual()) {
            throw fail(Reason.INVALID_VALUE_TYPE, withinAt, "'within' is an ISO-8601 duration string such as PT30M or P90D");
        }
        Duration duration;
        try {
            duration = Duration.parse(within.textValue());
        } catch (DateTimeParseException e) {
            throw fail(Reason.INVALID_DURATION, withinAt, "'" + within.textValue()
                    + "' is not an ISO-8601 duration in days, hours, minutes or seconds (such as PT30M, PT1H or P90D)");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw fail(Reason.INVALID_DURATION, withinAt, "'within' must be a positive duration");
        }
        return duration;
    }

    private static List<PropertyFilter> filters(JsonNode where, String at) {
        if (!where.isArray()) {
            throw fail(Reason.INVALID_VALUE_TYPE, at, "'where' takes an array of property filters");
        }
        if (where.isEmpty()) {
            throw fail(Reason.INVALID_VALUE, at, "'where' needs at least one filter; leave it out to match every event");
        }
        List<PropertyFilter> filters = new ArrayList<>(where.size());
        for (int i = 0; i < where.size(); i++) {
            filters.add(filter(where.get(i), at + "/" + i));
        }
        return filters;
    }

    private static PropertyFilter filter(JsonNode node, String at) {
        if (!node.isObject()) {
            throw fail(Reason.INVALID_VALUE_TYPE, at, "a filter is an object {\"property\": P, \"<op>\": value}");
        }
        if (node.has("context")) {
            throw fail(Reason.UNSUPPORTED_CONDITION, child(at, "context"), "context filters are not supported yet");
        }
        String operatorKey = singleOperator(node, at, "property", key -> enumKey(PropertyOperator.values(), key, o -> o.key),
                UNSUPPORTED_FILTER_OPERATORS, "property filter");
        String property = requiredText(node, at, "property");
        PropertyOperator operator = enumKey(PropertyOperator.values(), operatorKey, o -> o.key).orElseThrow();
        String operandAt = child(at, operatorKey);
        JsonNode operand = node.get(operatorKey);
        Value value = switch (operator) {
            case EQ, NEQ -> scalar(operand, operandAt, operatorKey);
            case GT, GTE, LT, LTE -> number(operand, operandAt, operatorKey);
            case IN -> scalarList(operand, operandAt);
        };
        return new PropertyFilter(property, operator, value);
    }

    private static CountThreshold count(JsonNode node, String at) {
        if (!node.isObject()) {
            throw fail(Reason.INVALID_VALUE_TYPE, at, "'count' is an object such as {\"gte\": 3}");
        }
        String operatorKey = singleOperator(node, at, null, key -> enumKey(Comparison.values(), key, c -> c.key),
                Set.of(), "count");
        Comparison comparison = enumKey(Comparison.values(), operatorKey, c -> c.key).orElseThrow();
        String valueAt = child(at, operatorKey);
        JsonNode value = node.get(operatorKey);
        if (!value.isNumber() || !isWhole(value)) {
            throw fail(Reason.INVALID_VALUE_TYPE, valueAt, "a count is a whole number");
        }
        if (value.decimalValue().signum() < 0) {
            throw fail(Reason.INVALID_VALUE, valueAt, "a count is not negative");
        }
        long n;
        try {
            n = value.decimalValue().longValueExact();
        } catch (ArithmeticException e) {
            throw fail(Reason.INVALID_VALUE, valueAt, "the count is too large");
        }
        return new CountThreshold(comparison, n);
    }

    /**
     * The one operator key of a trait, filter or count object: every key except {@code subjectKey} must be
     * a known operator, and there must be exactly one.
     */
    private static String singleOperator(JsonNode node, String at, String subjectKey,
                                         Function<String, Optional<?>> known, Set<String> unsupported, String what) {
        List<String> operators = new ArrayList<>();
        for (String key : fieldNames(node)) {
            if (key.equals(subjectKey)) {
                continue;
            }
            if (unsupported.contains(key)) {
                throw fail(Reason.UNSUPPORTED_CONDITION, child(at, key),
                        "the '" + key + "' operator is not supported yet in a " + what);
            }
            if (known.apply(key).isEmpty()) {
                throw fail(Reason.UNKNOWN_OPERATOR, child(at, key), "'" + key + "' is not an operator of a " + what);
            }
            operators.add(key);
        }
        if (operators.isEmpty()) {
            throw fail(Reason.MISSING_OPERATOR, at, "a " + what + " needs an operator");
        }
        if (operators.size() > 1) {
            throw fail(Reason.MULTIPLE_OPERATORS, child(at, operators.get(1)), "a " + what
                    + " has one operator; found '" + operators.get(0) + "' and '" + operators.get(1)
                    + "' (combine conditions with 'all')");
        }
        return operators.getFirst();
    }

    private static Value scalar(JsonNode operand, String at, String operator) {
        if (!(operand.isTextual() || operand.isNumber() || operand.isBoolean())) {
            throw fail(Reason.INVALID_VALUE_TYPE, at, "'" + operator + "' takes a string, number or boolean");
        }
        return JsonValueReader.read(operand);
    }

    private static Value number(JsonNode operand, String at, String operator) {
        if (!operand.isNumber()) {
            throw fail(Reason.INVALID_VALUE_TYPE, at, "'" + operator + "' takes a number");
        }
        return JsonValueReader.read(operand);
    }

    private static Value scalarList(JsonNode operand, String at) {
        if (!operand.isArray()) {
            throw fail(Reason.INVALID_VALUE_TYPE, at, "'in' takes an array of strings, numbers or booleans");
        }
        if (operand.isEmpty()) {
            throw fail(Reason.INVALID_VALUE, at, "'in' needs at least one value");
        }
        for (int i = 0; i < operand.size(); i++) {
            scalar(operand.get(i), at + "/" + i, "in");
        }
        return JsonValueReader.read(operand);
    }

    private static String requiredText(JsonNode node, String at, String key) {
        String fieldAt = child(at, key);
        if (!node.has(key)) {
            throw fail(Reason.MISSING_FIELD, fieldAt, "'" + key + "' is required");
        }
        JsonNode value = node.get(key);
        if (!value.isTextual()) {
            throw fail(Reason.INVALID_VALUE_TYPE, fieldAt, "'" + key + "' is a string");
        }
        if (value.textValue().isBlank()) {
            throw fail(Reason.INVALID_VALUE, fieldAt, "'" + key + "' must not be blank");
        }
        return value.textValue();
    }

    private static void rejectUnknownFields(JsonNode node, String at, Set<String> allowed, String hint) {
        for (String key : fieldNames(node)) {
            if (!allowed.contains(key)) {
                throw fail(Reason.UNKNOWN_FIELD, child(at, key), "unknown field '" + key + "'; " + hint);
            }
        }
    }

    private static boolean isWhole(JsonNode number) {
        return number.isIntegralNumber() || number.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static <E> Optional<E> enumKey(E[] values, String key, Function<E, String> keyOf) {
        return Arrays.stream(values).filter(v -> keyOf.apply(v).equals(key)).findFirst();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    /** RFC 6901: '~' and '/' in a key are escaped. */
    static String child(String pointer, String key) {
        return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    private static InvalidDefinitionException fail(Reason reason, String pointer, String message) {
        return new InvalidDefinitionException(new DefinitionError(reason, pointer, message));
    }
}
