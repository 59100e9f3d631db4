package io.kairos.segment.domain;

import io.kairos.segment.domain.Condition.Comparison;
import io.kairos.segment.domain.Condition.CountThreshold;
import io.kairos.segment.domain.Condition.EventCondition;
import io.kairos.segment.domain.Condition.PropertyFilter;
import io.kairos.segment.domain.Condition.PropertyOperator;
import io.kairos.segment.domain.Condition.TraitCondition;
import io.kairos.segment.domain.Condition.TraitOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentEvaluatorPropertiesTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final List<String> TRAITS = List.of("plan", "age", "email", "tags");
    private static final List<String> EVENTS = List.of("Order Completed", "Product Viewed");

    @Property
    void doubleNegationIsIdentity(@ForAll("conditions") Condition condition, @ForAll("profiles") ProfileState profile) {
        assertThat(SegmentEvaluator.isMember(new Condition.Not(new Condition.Not(condition)), profile, NOW))
                .isEqualTo(SegmentEvaluator.isMember(condition, profile, NOW));
    }

    @Property
    void deMorganHolds(@ForAll("conditions") Condition a, @ForAll("conditions") Condition b,
                       @ForAll("profiles") ProfileState profile) {
        boolean notAll = SegmentEvaluator.isMember(new Condition.Not(new Condition.All(List.of(a, b))), profile, NOW);
        boolean anyNot = SegmentEvaluator.isMember(
                new Condition.Any(List.of(new Condition.Not(a), new Condition.Not(b))), profile, NOW);
        assertThat(notAll).isEqualTo(anyNot);
    }

    @Property
    void neqIsExactlyTheNegationOfEq(@ForAll("traitNames") String trait, @ForAll("scalars") Value operand,
                                     @ForAll("profiles") ProfileState profile) {
        boolean eq = SegmentEvaluator.isMember(new TraitCondition(trait, TraitOperator.EQ, operand), profile, NOW);
        boolean neq = SegmentEvaluator.isMember(new TraitCondition(trait, TraitOperator.NEQ, operand), profile, NOW);
        assertThat(neq).isEqualTo(!eq);
    }

    @Property(tries = 2000)
    void countWithinWindowAgreesWithANaiveFilter(@ForAll("eventConditions") EventCondition condition,
                                                 @ForAll("profiles") ProfileState profile) {
        long nowMs = NOW.toEpochMilli();
        long startMs = nowMs - condition.within().toMillis();
        long naive = 0;
        for (ObservedEvent e : profile.events()) {
            long t = e.timestamp().toEpochMilli();
            if (e.name().equals(condition.event()) && t > startMs && t <= nowMs && passesNaively(condition.where(), e)) {
                naive++;
            }
        }
        long threshold = condition.count().value();
        boolean expected = switch (condition.count().comparison()) {
            case EQ -> naive == threshold;
            case NEQ -> naive != threshold;
            case GT -> naive > threshold;
            case GTE -> naive >= threshold;
            case LT -> naive < threshold;
            case LTE -> naive <= threshold;
        };

        assertThat(SegmentEvaluator.countMatching(condition, profile, NOW)).isEqualTo(naive);
        assertThat(SegmentEvaluator.isMember(condition, profile, NOW)).isEqualTo(expected);
    }

    /** The oracle for the filters the generator produces: "tier" eq/in on text, "amount" gte/lt on numbers. */
    private static boolean passesNaively(List<PropertyFilter> filters, ObservedEvent e) {
        for (PropertyFilter f : filters) {
            Value actual = e.properties().get(f.property());
            boolean pass = switch (f.operator()) {
                case EQ -> actual != null && actual.equals(f.operand());
                case IN -> actual != null && ((Value.Items) f.operand()).values().contains(actual);
                case GTE -> actual instanceof Value.Num n && n.value().doubleValue() >= ((Value.Num) f.operand()).value().doubleValue();
                case LT -> actual instanceof Value.Num n && n.value().doubleValue() < ((Value.Num) f.operand()).value().doubleValue();
                default -> throw new IllegalStateException("not generated: " + f.operator());
            };
            if (!pass) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<String> traitNames() {
        return Arbitraries.of(TRAITS);
    }

    @Provide
    Arbitrary<Value> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.of("pro", "free", "ada@example.com", "").map(s -> (Value) new Value.Text(s)),
                Arbitraries.integers().between(-3, 3).map(n -> (Value) Value.Num.of(n)),
                Arbitraries.of(true, false).map(b -> (Value) new Value.Bool(b)));
    }

    private Arbitrary<Value> traitValues() {
        return Arbitraries.oneOf(scalars(),
                Arbitraries.just(Value.NULL),
                scalars().list().ofMaxSize(3).map(items -> (Value) new Value.Items(items)));
    }

    @Provide
    Arbitrary<ProfileState> profiles() {
        Arbitrary<Map<String, Value>> traits = Arbitraries.maps(Arbitraries.of(TRAITS), traitValues()).ofMaxSize(TRAITS.size());
        Arbitrary<ObservedEvent> event = Combinators.combine(
                Arbitraries.of(EVENTS),
                Arbitraries.integers().between(-60, 7200),
                Arbitraries.integers().between(-3, 3).injectNull(0.3),
                Arbitraries.of("gold", "silver").injectNull(0.3)
        ).as((name, secondsAgo, amount, tier) -> {
            Map<String, Value> properties = new HashMap<>();
            if (amount != null) {
                properties.put("amount", Value.Num.of(amount));
            }
            if (tier != null) {
                properties.put("tier", new Value.Text(tier));
            }
            return new ObservedEvent(name, NOW.minusSeconds(secondsAgo), properties);
        });
        return Combinators.combine(traits, event.list().ofMaxSize(12)).as(ProfileState::new);
    }

    @Provide
    Arbitrary<EventCondition> eventConditions() {
        Arbitrary<PropertyFilter> filter = Arbitraries.oneOf(
                Arbitraries.of("gold", "silver", "bronze").map(t -> new PropertyFilter("tier", PropertyOperator.EQ, new Value.Text(t))),
                Arbitraries.of("gold", "silver", "bronze").list().ofMinSize(1).ofMaxSize(2)
                        .map(ts -> new PropertyFilter("tier", PropertyOperator.IN,
                                new Value.Items(ts.stream().map(t -> (Value) new Value.Text(t)).toList()))),
                Arbitraries.integers().between(-3, 3).map(n -> new PropertyFilter("amount", PropertyOperator.GTE, Value.Num.of(n))),
                Arbitraries.integers().between(-3, 3).map(n -> new PropertyFilter("amount", PropertyOperator.LT, Value.Num.of(n))));
        Arbitrary<CountThreshold> count = Combinators.combine(
                Arbitraries.of(Comparison.values()), Arbitraries.longs().between(0, 4)).as(CountThreshold::new);
        return Combinators.combine(
                Arbitraries.of(EVENTS),
                Arbitraries.integers().between(1, 7200).map(s -> Duration.ofSeconds(s)),
                filter.list().ofMaxSize(2),
                count
        ).as(EventCondition::new);
    }

    @Provide
    Arbitrary<Condition> conditions() {
        return condition(3);
    }

    private Arbitrary<Condition> condition(int depth) {
        Arbitrary<Condition> leaf = Arbitraries.oneOf(traitConditions(), eventConditions().map(c -> (Condition) c));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Condition> child = Arbitraries.lazy(() -> condition(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(1, child.list().ofMinSize(1).ofMaxSize(3).map(cs -> (Condition) new Condition.All(cs))),
                net.jqwik.api.Tuple.of(1, child.list().ofMinSize(1).ofMaxSize(3).map(cs -> (Condition) new Condition.Any(cs))),
                net.jqwik.api.Tuple.of(1, child.map(c -> (Condition) new Condition.Not(c))));
    }

    private Arbitrary<Condition> traitConditions() {
        Arbitrary<String> trait = traitNames();
        return Arbitraries.oneOf(
                Combinators.combine(trait, Arbitraries.of(TraitOperator.EQ, TraitOperator.NEQ, TraitOperator.CONTAINS), scalars())
                        .as(TraitCondition::new),
                Combinators.combine(trait, Arbitraries.of(TraitOperator.GT, TraitOperator.GTE, TraitOperator.LT, TraitOperator.LTE),
                        Arbitraries.integers().between(-3, 3).map(n -> (Value) new Value.Num(BigDecimal.valueOf(n)))).as(TraitCondition::new),
                Combinators.combine(trait, scalars().list().ofMinSize(1).ofMaxSize(3))
                        .as((t, items) -> new TraitCondition(t, TraitOperator.IN, new Value.Items(items))),
                Combinators.combine(trait, Arbitraries.of("p", "ada", ""))
                        .as((t, prefix) -> new TraitCondition(t, TraitOperator.STARTS_WITH, new Value.Text(prefix))),
                Combinators.combine(trait, Arbitraries.of(true, false))
                        .as((t, b) -> new TraitCondition(t, TraitOperator.EXISTS, new Value.Bool(b))))
                .map(c -> (Condition) c);
    }
}
