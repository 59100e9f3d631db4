package io.kairos.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ProfileTraitsPropertyTest {

    @Property
    void applyingTheSameEventTwiceChangesNothingTheSecondTime(@ForAll("profiles") ProfileState current,
            @ForAll("events") ObservedEvent event) {
        TraitUpdate first = ProfileTraits.apply(current, event);

        TraitUpdate second = ProfileTraits.apply(ProfileTraitsTest.state(first), event);

        assertThat(second.changed()).isEmpty();
        assertThat(second.traits()).isEqualTo(first.traits());
    }

    @Property
    void theChangedTraitsTurnTheOldTraitsIntoTheNewOnes(@ForAll("profiles") ProfileState current,
            @ForAll("events") ObservedEvent event) {
        TraitUpdate update = ProfileTraits.apply(current, event);

        Map<String, Object> replayed = new HashMap<>(current.traits());
        update.changed().forEach((trait, value) -> {
            if (value == null) {
                replayed.remove(trait);
            } else {
                replayed.put(trait, value);
            }
        });
        assertThat(ProfileTraits.sameValue(replayed, update.traits())).as("%s -> %s", replayed, update.traits()).isTrue();
    }

    @Provide
    Arbitrary<ProfileState> profiles() {
        Arbitrary<Instant> seen = instants();
        return Combinators.combine(traits(), seen, seen).as((traits, a, b) -> {
            Instant first = a.isBefore(b) ? a : b;
            Instant last = a.isBefore(b) ? b : a;
            Map<String, Object> withSystem = new HashMap<>(traits);
            withSystem.values().removeIf(value -> value == null);
            withSystem.put(ProfileTraits.FIRST_SEEN, first.toString());
            withSystem.put(ProfileTraits.LAST_SEEN, last.toString());
            return new ProfileState(withSystem, first, last);
        }).injectNull(0.2).map(state -> state == null ? ProfileState.unseen() : state);
    }

    @Provide
    Arbitrary<ObservedEvent> events() {
        Arbitrary<EventType> types = Arbitraries.of(EventType.class);
        Arbitrary<String> channels = Arbitraries.of("web", "mobile", "email", "pos").injectNull(0.3);
        Arbitrary<String> zones = Arbitraries.of("Europe/Paris", "America/New_York", "Nowhere/Atlantis").injectNull(0.5);
        return Combinators.combine(types, traits(), traits(), channels, zones, instants()).as((type, traits, contextTraits, channel, zone, at) -> {
            Map<String, Object> context = new HashMap<>();
            context.put("traits", contextTraits);
            if (zone != null) {
                context.put("timezone", zone);
            }
            return Events.event(type, "E", "u-1", null, channel, Map.of("traits", traits, "context", context), at);
        });
    }

    private static Arbitrary<Map<String, Object>> traits() {
        Arbitrary<String> names = Arbitraries.of("plan", "name", "orders", "vip", "city", "$firstSeen", "$channels");
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMaxLength(5).map(Object.class::cast),
                Arbitraries.integers().between(-3, 3).map(Object.class::cast),
                Arbitraries.longs().between(-3, 3).map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast)).injectNull(0.15);
        return Arbitraries.maps(names, values).ofMaxSize(5);
    }

    private static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(1_600_000_000_000L, 1_800_000_000_000L).map(Instant::ofEpochMilli);
    }
}
