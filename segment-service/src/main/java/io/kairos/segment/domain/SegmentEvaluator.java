package io.kairos.segment.domain;

import io.kairos.segment.domain.Condition.All;
import io.kairos.segment.domain.Condition.Any;
import io.kairos.segment.domain.Condition.EventCondition;
import io.kairos.segment.domain.Condition.Not;
import io.kairos.segment.domain.Condition.PropertyFilter;
import io.kairos.segment.domain.Condition.TraitCondition;
import io.kairos.segment.domain.Value.Bool;
import io.kairos.segment.domain.Value.Items;
import io.kairos.segment.domain.Value.Num;
import io.kairos.segment.domain.Value.Text;

import java.time.Instant;

/**
 * Decides segment membership of one profile at one instant. Pure: the same condition, state and
 * instant always give the same answer, which is what lets the real-time and batch paths agree.
 *
 * <p>Semantics worth knowing: a missing trait or property satisfies no comparison except
 * {@code neq} (which is exactly the negation of {@code eq}) and {@code exists: false};
 * ordering comparisons apply to numbers only; equality of numbers is by value.
 */
public final class SegmentEvaluator {

    private SegmentEvaluator() {
    }

    public static boolean isMember(Condition condition, ProfileState profile, Instant at) {
        return switch (condition) {
            case All all -> all.conditions().stream().allMatch(c -> isMember(c, profile, at));
            case Any any -> any.conditions().stream().anyMatch(c -> isMember(c, profile, at));
            case Not not -> !isMember(not.condition(), profile, at);
            case TraitCondition trait -> traitHolds(trait, profile.trait(trait.trait()));
            case EventCondition event -> event.count().holds(countMatching(event, profile, at));
        };
    }

    /** Events named as in the condition, inside {@code (at - within, at]}, passing every filter. */
    public static long countMatching(EventCondition condition, ProfileState profile, Instant at) {
        Instant windowStart = at.minus(condition.within());
        return profile.events().stream()
                .filter(e -> e.name().equals(condition.event()))
                .filter(e -> e.timestamp().isAfter(windowStart) && !e.timestamp().isAfter(at))
                .filter(e -> condition.where().stream().allMatch(f -> propertyHolds(f, e.properties().get(f.property()))))
                .count();
    }

    private static boolean traitHolds(TraitCondition condition, Value actual) {
        Value operand = condition.operand();
        return switch (condition.operator()) {
            case EXISTS -> isPresent(actual) == ((Bool) operand).value();
            case EQ -> isPresent(actual) && same(actual, operand);
            case NEQ -> !(isPresent(actual) && same(actual, operand));
            case GT -> ordered(actual, operand, Condition.Comparison.GT);
            case GTE -> ordered(actual, operand, Condition.Comparison.GTE);
            case LT -> ordered(actual, operand, Condition.Comparison.LT);
            case LTE -> ordered(actual, operand, Condition.Comparison.LTE);
            case IN -> isPresent(actual) && ((Items) operand).values().stream().anyMatch(v -> same(actual, v));
            case CONTAINS -> contains(actual, operand);
            case STARTS_WITH -> actual instanceof Text text && text.value().startsWith(((Text) operand).value());
        };
    }

    private static boolean propertyHolds(PropertyFilter filter, Value actual) {
        Value operand = filter.operand();
        return switch (filter.operator()) {
            case EQ -> isPresent(actual) && same(actual, operand);
            case NEQ -> !(isPresent(actual) && same(actual, operand));
            case GT -> ordered(actual, operand, Condition.Comparison.GT);
            case GTE -> ordered(actual, operand, Condition.Comparison.GTE);
            case LT -> ordered(actual, operand, Condition.Comparison.LT);
            case LTE -> ordered(actual, operand, Condition.Comparison.LTE);
            case IN -> isPresent(actual) && ((Items) operand).values().stream().anyMatch(v -> same(actual, v));
        };
    }

    private static boolean isPresent(Value value) {
        return value != null && !(value instanceof Value.Null);
    }

    private static boolean same(Value a, Value b) {
        if (a instanceof Num x && b instanceof Num y) {
            return x.value().compareTo(y.value()) == 0;
        }
        return a.equals(b);
    }

    private static boolean ordered(Value actual, Value operand, Condition.Comparison comparison) {
        return actual instanceof Num x && operand instanceof Num y
                && comparison.holds(x.value().compareTo(y.value()));
    }

    /** Substring of a text trait, or element of a list trait (such as {@code $channels}). */
    private static boolean contains(Value actual, Value operand) {
        return switch (actual) {
            case Text text when operand instanceof Text part -> text.value().contains(part.value());
            case Items items -> items.values().stream().anyMatch(v -> same(v, operand));
            case null, default -> false;
        };
    }
}
