package io.kairos.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Identity resolution over random event sequences, applied to an in-memory graph the way the
 * store applies it. Small identifier pools make collisions, merges and conflicts frequent.
 */
class IdentityGraphPropertyTest {

    private static final IdentityRules RULES = IdentityRules.defaults();

    @Property(tries = 300)
    void every_profile_stays_within_the_limits_and_every_identifier_on_one_profile(
            @ForAll("events") List<List<Identifier>> events) {
        InMemoryGraph graph = new InMemoryGraph(new IdentityGraph(RULES));
        for (List<Identifier> event : events) {
            graph.apply(event);
            Map<Identifier, Long> holders = graph.profiles.values().stream().flatMap(Set::stream)
                    .collect(Collectors.groupingBy(identifier -> identifier, Collectors.counting()));
            assertThat(holders.values()).allMatch(count -> count == 1);
            for (Set<Identifier> held : graph.profiles.values()) {
                Map<String, Long> perType = held.stream().collect(Collectors.groupingBy(Identifier::type, Collectors.counting()));
                perType.forEach((type, count) -> assertThat(count).as(type).isLessThanOrEqualTo(RULES.limit(type)));
            }
        }
    }

    @Property(tries = 300)
    void every_identifier_of_an_event_is_on_its_profile_or_dropped_with_a_reason(
            @ForAll("events") List<List<Identifier>> events) {
        InMemoryGraph graph = new InMemoryGraph(new IdentityGraph(RULES));
        for (List<Identifier> event : events) {
            Applied applied = graph.apply(event);
            Set<Identifier> onProfile = graph.profiles.get(applied.profileId());
            Set<Identifier> dropped = applied.resolution().dropped().stream().map(DroppedIdentifier::identifier)
                    .collect(Collectors.toSet());
            for (Identifier identifier : event) {
                assertThat(onProfile.contains(identifier) ^ dropped.contains(identifier)).as(identifier.toString()).isTrue();
            }
        }
    }

    @Property(tries = 300)
    void the_answer_does_not_depend_on_the_order_identifiers_and_profiles_are_listed_in(
            @ForAll("events") List<List<Identifier>> events, @ForAll Random random) {
        InMemoryGraph graph = new InMemoryGraph(new IdentityGraph(RULES));
        events.subList(0, events.size() - 1).forEach(graph::apply);
        List<Identifier> last = events.getLast();

        List<MatchedProfile> matched = graph.matched(last);
        Resolution listed = graph.resolver.resolve(last, matched);
        List<Identifier> shuffledIdentifiers = new ArrayList<>(last);
        List<MatchedProfile> shuffledProfiles = new ArrayList<>(matched);
        Collections.shuffle(shuffledIdentifiers, random);
        Collections.shuffle(shuffledProfiles, random);

        assertThat(graph.resolver.resolve(shuffledIdentifiers, shuffledProfiles)).isEqualTo(listed);
    }

    /** Without limits nothing conflicts, and the graph ends as the connected components of the events, in any order. */
    @Property(tries = 200)
    void without_limits_any_order_of_the_events_ends_in_the_same_graph(
            @ForAll("events") List<List<Identifier>> events, @ForAll Random random) {
        IdentityGraph unlimited = new IdentityGraph(new IdentityRules(Map.of(), RULES.priority(), Set.of()));
        InMemoryGraph inOrder = new InMemoryGraph(unlimited);
        events.forEach(inOrder::apply);
        List<List<Identifier>> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, random);
        InMemoryGraph otherOrder = new InMemoryGraph(unlimited);
        shuffled.forEach(otherOrder::apply);

        assertThat(otherOrder.partition()).isEqualTo(inOrder.partition());
    }

    @Provide
    Arbitrary<List<List<Identifier>>> events() {
        Arbitrary<Identifier> identifier = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 3).map(i -> new Identifier("userId", "u" + i)),
                Arbitraries.integers().between(0, 7).map(i -> new Identifier("anonymousId", "a" + i)),
                Arbitraries.integers().between(0, 4).map(i -> new Identifier("email", "e" + i + "@example.com")),
                Arbitraries.integers().between(0, 2).map(i -> new Identifier("phone", "+4479460958" + i)),
                Arbitraries.integers().between(0, 2).map(i -> new Identifier("crm_id", "c" + i)));
        Arbitrary<List<Identifier>> event = identifier.list().ofMinSize(1).ofMaxSize(4).uniqueElements()
                // an event carries at most one userId, as the Segment spec has one field for it
                .filter(ids -> ids.stream().filter(id -> id.type().equals("userId")).count() <= 1);
        return event.list().ofMinSize(1).ofMaxSize(25);
    }

    private record Applied(UUID profileId, Resolution resolution) {
    }

    /** Applies resolutions the way ProfileRecorder does: create, attach, merge into the survivor. */
    private static final class InMemoryGraph {

        final IdentityGraph resolver;
        final Map<UUID, Set<Identifier>> profiles = new HashMap<>();
        final Map<UUID, Instant> createdAt = new HashMap<>();
        private long clock;

        InMemoryGraph(IdentityGraph resolver) {
            this.resolver = resolver;
        }

        List<MatchedProfile> matched(List<Identifier> identifiers) {
            return profiles.entrySet().stream()
                    .filter(profile -> identifiers.stream().anyMatch(profile.getValue()::contains))
                    .map(profile -> new MatchedProfile(profile.getKey(), createdAt.get(profile.getKey()), profile.getValue()))
                    .toList();
        }

        Applied apply(List<Identifier> event) {
            Resolution resolution = resolver.resolve(event, matched(event));
            UUID target = switch (resolution) {
                case Resolution.NewProfile created -> {
                    UUID id = new UUID(0, ++clock);
                    profiles.put(id, new HashSet<>());
                    createdAt.put(id, Instant.EPOCH.plusSeconds(clock));
                    yield id;
                }
                case Resolution.ExistingProfile existing -> existing.profileId();
                case Resolution.MergeNeeded merge -> {
                    for (UUID absorbed : merge.absorbedIds()) {
                        profiles.get(merge.survivorId()).addAll(profiles.remove(absorbed));
                    }
                    yield merge.survivorId();
                }
            };
            profiles.get(target).addAll(resolution.newIdentifiers());
            clock++;
            return new Applied(target, resolution);
        }

        /** Which identifiers are together, whatever the profile ids. */
        Set<Set<Identifier>> partition() {
            return Set.copyOf(profiles.values().stream().map(Set::copyOf).toList());
        }
    }
}
