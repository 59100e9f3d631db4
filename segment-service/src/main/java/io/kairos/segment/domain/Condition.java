package io.kairos.segment.domain;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The segment condition DSL as a tree. Every node is immutable; evaluation is a switch over
 * the sealed hierarchy in {@link SegmentEvaluator}.
 */
public sealed interface Condition {

    record All(List<Condition> conditions) implements Condition {
        public All {
            conditions = nonEmpty(conditions, "all");
        }
    }

    record Any(List<Condition> conditions) implements Condition {
        public Any {
            conditions = nonEmpty(conditions, "any");
        }
    }

    record Not(Condition condition) implements Condition {
        public Not {
            Objects.requireNonNull(condition);
        }
    }

    /** {@code {"trait": T, "<op>": operand}}; system traits ({@code $firstSeen}, ...) come from the same snapshot. */
    record TraitCondition(String trait, TraitOperator operator, Value operand) implements Condition {
        public TraitCondition {
            Objects.requireNonNull(trait);
            Objects.requireNonNull(operator);
            Objects.requireNonNull(operand);
        }
    }

    /**
     * {@code {"event": NAME, "within": DURATION, "where": [...], "count": {"<op>": n}}}: the number of
     * events named {@code event} in the window {@code (at - within, at]} that pass every filter
     * satisfies {@code count}. Without a count in the JSON, the count is "at least once".
     */
    record EventCondition(String event, Duration within, List<PropertyFilter> where, CountThreshold count)
            implements Condition {
        public EventCondition {
            Objects.requireNonNull(event);
            if (within.isNegative() || within.isZero()) {
                throw new IllegalArgumentException("within must be positive");
            }
            where = List.copyOf(where);
            Objects.requireNonNull(count);
        }
    }

    enum TraitOperator {
        EQ("eq"), NEQ("neq"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"),
        IN("in"), CONTAINS("contains"), STARTS_WITH("startsWith"), EXISTS("exists");

        public final String key;

        TraitOperator(String key) {
            this.key = key;
        }
    }

    /** {@code {"property": P, "<op>": operand}} inside an event condition's {@code where}. */
    record PropertyFilter(String property, PropertyOperator operator, Value operand) {
        public PropertyFilter {
            Objects.requireNonNull(property);
            Objects.requireNonNull(operator);
            Objects.requireNonNull(operand);
        }
    }

    enum PropertyOperator {
        EQ("eq"), NEQ("neq"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), IN("in");

        public final String key;

        PropertyOperator(String key) {
            this.key = key;
        }
    }

    record CountThreshold(Comparison comparison, long value) {
        public static final CountThreshold AT_LEAST_ONCE = new CountThreshold(Comparison.GTE, 1);

        public CountThreshold {
            Objects.requireNonNull(comparison);
            if (value < 0) {
                throw new IllegalArgumentException("count must not be negative");
            }
        }

        public boolean holds(long count) {
            return comparison.holds(Long.compare(count, value));
        }
    }

    enum Comparison {
        EQ("eq"), NEQ("neq"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte");

        public final String key;

        Comparison(String key) {
            this.key = key;
        }

        /** Whether a three-way comparison result (negative, zero, positive) satisfies this comparison. */
        public boolean holds(int compared) {
            return switch (this) {
                case EQ -> compared == 0;
                case NEQ -> compared != 0;
                case GT -> compared > 0;
                case GTE -> compared >= 0;
                case LT -> compared < 0;
                case LTE -> compared <= 0;
            };
        }
    }

    private static List<Condition> nonEmpty(List<Condition> conditions, String group) {
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException(group + " needs at least one condition");
        }
        return List.copyOf(conditions);
    }
}
