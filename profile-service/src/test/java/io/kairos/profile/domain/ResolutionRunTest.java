package io.kairos.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.profile.domain.ResolutionRun.KnownProfile;
import io.kairos.profile.domain.ResolutionRun.MessageKey;
import io.kairos.profile.domain.ResolutionRun.Outcome;
import io.kairos.profile.domain.ResolutionRun.ProfileChange;
import io.kairos.profile.domain.ResolutionRun.Recorded;
import io.kairos.profile.domain.ResolutionRun.Snapshot;
import io.kairos.profile.domain.ResolutionRun.Step;
import io.kairos.profile.domain.ResolutionRun.Suppressed;
import io.kairos.profile.domain.ResolutionRun.WorkspaceIdentifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A batch resolved in memory against one snapshot must decide exactly what recording its events
 * one by one would: where the batch is cut must not matter.
 */
class ResolutionRunTest {

    private static final IdentityRules RULES = IdentityRules.defaults();
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void later_events_of_a_batch_see_the_profiles_and_identifiers_the_earlier_ones_made() {
        Outcome outcome = run().resolve(List.of(
                event("m1", "u1", "a1", Map.of("traits", Map.of("plan", "free"))),
                event("m2", null, "a1", Map.of("traits", Map.of("plan", "pro"))),
                event("m3", "u1", "a2", Map.of())), empty());

        assertThat(outcome.settled()).isEqualTo(3);
        assertThat(outcome.profiles()).hasSize(1);
        ProfileChange profile = outcome.profiles().getFirst();
        assertThat(profile.created()).isTrue();
        assertThat(profile.state().traits()).containsEntry("plan", "pro");
        assertThat(outcome.steps()).allSatisfy(step -> assertThat(((Recorded) step).profileId()).isEqualTo(profile.id()));
        assertThat(((Recorded) outcome.steps().get(2)).newIdentifiers()).containsExactly(new Identifier("anonymousId", "a2"));
    }

    @Test
    void an_event_joining_two_profiles_ends_the_run_before_it() {
        Outcome outcome = run().resolve(List.of(
                event("m1", "u1", null, Map.of()),
                event("m2", null, "a9", Map.of()),
                event("m3", "u1", "a9", Map.of()),
                event("m4", "u2", null, Map.of())), empty());

        assertThat(outcome.settled()).as("m3 merges the profiles of m1 and m2").isEqualTo(2);
        assertThat(outcome.profiles()).hasSize(2);
    }

    @Test
    void a_message_recorded_before_or_earlier_in_the_batch_ends_the_run_before_it() {
        Snapshot recordedBefore = new Snapshot(Map.of(), Map.of(), Set.of(), Set.of(new MessageKey("ws", "m2")));
        assertThat(run().resolve(List.of(event("m1", "u1", null, Map.of()), event("m2", "u1", null, Map.of())), recordedBefore)
                .settled()).isEqualTo(1);

        assertThat(run().resolve(List.of(event("m1", "u1", null, Map.of()), event("m1", "u1", null, Map.of())), empty())
                .settled()).as("resent within the batch").isEqualTo(1);
    }

    @Test
    void an_event_with_a_suppressed_identifier_is_settled_as_suppressed_and_changes_nothing() {
        String digest = SuppressionDigest.of("ws", new Identifier("userId", "erased"));
        Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Set.of(digest), Set.of());

        Outcome outcome = run().resolve(List.of(event("m1", "erased", "a1", Map.of()), event("m2", null, "a1", Map.of())), snapshot);

        assertThat(outcome.steps().getFirst()).isInstanceOf(Suppressed.class);
        assertThat(outcome.steps().get(1)).isInstanceOf(Recorded.class);
        assertThat(((Recorded) outcome.steps().get(1)).newIdentifiers())
                .as("the suppressed event attached nothing").containsExactly(new Identifier("anonymousId", "a1"));
    }

    @Test
    void a_stored_profile_is_changed_with_the_version_it_was_read_at() {
        UUID stored = UUID.randomUUID();
        KnownProfile known = new KnownProfile(stored, "ws", NOW.minusSeconds(3600), 7,
                new ProfileState(Map.of("plan", "free"), Map.of(), NOW.minusSeconds(3600), NOW.minusSeconds(3600)),
                Set.of(new Identifier("userId", "u1")));
        Snapshot snapshot = new Snapshot(Map.of(new WorkspaceIdentifier("ws", new Identifier("userId", "u1")), stored),
                Map.of(stored, known), Set.of(), Set.of());

        Outcome outcome = run().resolve(List.of(event("m1", "u1", "a1", Map.of("traits", Map.of("plan", "pro")))), snapshot);

        assertThat(outcome.profiles()).singleElement().satisfies(change -> {
            assertThat(change.id()).isEqualTo(stored);
            assertThat(change.created()).isFalse();
            assertThat(change.version()).isEqualTo(7);
            assertThat(change.state().traits()).containsEntry("plan", "pro");
        });
    }

    /**
     * One run over all the events, or runs over pieces with a snapshot refreshed from what the
     * earlier pieces wrote: the same profile for every event, the same identifiers, the same traits.
     */
    @Property(tries = 300)
    void where_a_batch_is_cut_does_not_change_what_is_recorded(@ForAll("events") List<ObservedEvent> events,
            @ForAll @IntRange(min = 1, max = 6) int pieceSize) {
        Store whole = new Store();
        whole.recordAll(events, events.size());
        Store pieces = new Store();
        pieces.recordAll(events, pieceSize);

        assertThat(pieces.profileOfEvent.keySet()).isEqualTo(whole.profileOfEvent.keySet());
        assertThat(pieces.graph()).isEqualTo(whole.graph());
        assertThat(pieces.traitsByMessage()).isEqualTo(whole.traitsByMessage());
    }

    @Provide
    Arbitrary<List<ObservedEvent>> events() {
        Arbitrary<String> userId = Arbitraries.of("u0", "u1", "u2").injectNull(0.5);
        Arbitrary<String> anonymousId = Arbitraries.of("a0", "a1", "a2", "a3").injectNull(0.3);
        Arbitrary<String> plan = Arbitraries.of("free", "pro", "team");
        return Combinators.combine(userId, anonymousId, plan).as((u, a, p) -> new String[] {u, a, p})
                .filter(parts -> parts[0] != null || parts[1] != null)
                .list().ofMinSize(1).ofMaxSize(25)
                .map(drawn -> {
                    List<ObservedEvent> events = new ArrayList<>();
                    for (int i = 0; i < drawn.size(); i++) {
                        events.add(event("m" + i, drawn.get(i)[0], drawn.get(i)[1], Map.of("traits", Map.of("plan", drawn.get(i)[2]))));
                    }
                    return events;
                });
    }

    /**
     * The store as the batch path uses it: runs over pieces of the events, each against a snapshot
     * of what is stored; an event a run cannot settle is recorded alone (a merge, as the store
     * merges: into the survivor the graph names).
     */
    private static final class Store {
        final Map<WorkspaceIdentifier, UUID> holders = new HashMap<>();
        final Map<UUID, KnownProfile> profiles = new HashMap<>();
        final Set<MessageKey> recorded = new HashSet<>();
        final Map<String, UUID> profileOfEvent = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> traitsAfter = new LinkedHashMap<>();
        final AtomicLong ids = new AtomicLong();

        void recordAll(List<ObservedEvent> events, int pieceSize) {
            int next = 0;
            while (next < events.size()) {
                List<ObservedEvent> piece = events.subList(next, Math.min(events.size(), next + pieceSize));
                Outcome outcome = new ResolutionRun(workspace -> RULES, () -> new UUID(0, ids.incrementAndGet()), NOW)
                        .resolve(piece, new Snapshot(Map.copyOf(holders), Map.copyOf(profiles), Set.of(), Set.copyOf(recorded)));
                apply(outcome);
                next += outcome.settled();
                if (outcome.settled() < piece.size()) {
                    merge(piece.get(outcome.settled()));
                    next++;
                }
            }
        }

        private void apply(Outcome outcome) {
            for (ProfileChange change : outcome.profiles()) {
                KnownProfile before = profiles.get(change.id());
                Set<Identifier> held = new HashSet<>(before == null ? Set.of() : before.identifiers());
                profiles.put(change.id(), new KnownProfile(change.id(), change.workspace(), change.createdAt(),
                        change.version() + 1, change.state(), held));
            }
            for (Step step : outcome.steps()) {
                if (step instanceof Recorded recordedStep) {
                    attach(recordedStep.profileId(), recordedStep.newIdentifiers());
                    recorded.add(MessageKey.of(step.event()));
                    profileOfEvent.put(step.event().messageId(), recordedStep.profileId());
                    traitsAfter.put(step.event().messageId(), recordedStep.update().traits());
                }
            }
        }

        /** The store's merge: absorbed profiles' identifiers move to the survivor, then the event is applied to it. */
        private void merge(ObservedEvent event) {
            List<Identifier> observed = event.identifiers(RULES);
            List<MatchedProfile> matched = observed.stream()
                    .map(identifier -> holders.get(new WorkspaceIdentifier("ws", identifier)))
                    .filter(id -> id != null).distinct()
                    .map(id -> new MatchedProfile(id, profiles.get(id).createdAt(), profiles.get(id).identifiers())).toList();
            Resolution.MergeNeeded merge = (Resolution.MergeNeeded) new IdentityGraph(RULES).resolve(observed, matched);
            KnownProfile survivor = profiles.get(merge.survivorId());
            List<ProfileState> absorbedStates = new ArrayList<>();
            Set<Identifier> held = new HashSet<>(survivor.identifiers());
            for (UUID absorbed : merge.absorbedIds()) {
                absorbedStates.add(profiles.get(absorbed).state());
                held.addAll(profiles.remove(absorbed).identifiers());
                holders.replaceAll((identifier, holder) -> holder.equals(absorbed) ? survivor.id() : holder);
                profileOfEvent.replaceAll((message, holder) -> holder.equals(absorbed) ? survivor.id() : holder);
            }
            TraitUpdate update = ProfileTraits.apply(ProfileMerge.merge(survivor.state(), absorbedStates), event);
            profiles.put(survivor.id(), new KnownProfile(survivor.id(), "ws", survivor.createdAt(), survivor.version() + 1,
                    update.state(), held));
            attach(survivor.id(), merge.newIdentifiers());
            recorded.add(MessageKey.of(event));
            profileOfEvent.put(event.messageId(), survivor.id());
            traitsAfter.put(event.messageId(), update.traits());
        }

        private void attach(UUID profileId, List<Identifier> identifiers) {
            KnownProfile profile = profiles.get(profileId);
            Set<Identifier> held = new HashSet<>(profile.identifiers());
            held.addAll(identifiers);
            profiles.put(profileId, new KnownProfile(profileId, profile.workspace(), profile.createdAt(), profile.version(),
                    profile.state(), held));
            identifiers.forEach(identifier -> holders.put(new WorkspaceIdentifier("ws", identifier), profileId));
        }

        /** The graph as sets of identifiers held together, whatever the profiles' ids. */
        Set<Set<Identifier>> graph() {
            Set<Set<Identifier>> graph = new HashSet<>();
            profiles.values().forEach(profile -> graph.add(profile.identifiers()));
            return graph;
        }

        /** Each event's traits after it, by message; profile ids differ between runs, traits must not. */
        Map<String, Map<String, Object>> traitsByMessage() {
            return traitsAfter;
        }
    }

    private static ResolutionRun run() {
        AtomicLong ids = new AtomicLong();
        return new ResolutionRun(workspace -> RULES, () -> new UUID(0, ids.incrementAndGet()), NOW);
    }

    private static Snapshot empty() {
        return new Snapshot(Map.of(), Map.of(), Set.of(), Set.of());
    }

    private static ObservedEvent event(String messageId, String userId, String anonymousId, Map<String, Object> payload) {
        Instant at = Events.T0.plusSeconds(Long.parseLong(messageId.substring(1)));
        return new ObservedEvent("ws", messageId, EventType.IDENTIFY, null, userId, anonymousId, null, null, null, "web",
                at, at, payload);
    }
}
