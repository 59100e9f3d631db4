package io.kairos.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdentityGraphTest {

    private static final Identifier U1 = new Identifier("userId", "u1");
    private static final Identifier U2 = new Identifier("userId", "u2");
    private static final Identifier A1 = new Identifier("anonymousId", "a1");
    private static final Identifier A2 = new Identifier("anonymousId", "a2");
    private static final Identifier EMAIL = new Identifier("email", "ada@example.com");
    private static final Instant EARLY = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant LATE = EARLY.plusSeconds(3600);
    private static final UUID OLD = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID YOUNG = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    private final IdentityGraph graph = new IdentityGraph(IdentityRules.defaults());

    @Test
    void unknown_identifiers_make_a_new_profile() {
        assertThat(graph.resolve(List.of(A1, U1), List.of()))
                .isEqualTo(new Resolution.NewProfile(List.of(U1, A1), List.of()));
    }

    @Test
    void known_identifiers_of_one_profile_lead_to_it_with_the_new_ones_added() {
        Resolution resolution = graph.resolve(List.of(U1, A1, EMAIL), List.of(profile(OLD, EARLY, A1)));

        assertThat(resolution).isEqualTo(new Resolution.ExistingProfile(OLD, List.of(U1, EMAIL), List.of()));
    }

    @Test
    void identifiers_of_several_profiles_merge_them_into_the_oldest() {
        Resolution resolution = graph.resolve(List.of(U1, A2),
                List.of(profile(YOUNG, LATE, U1), profile(OLD, EARLY, A2, A1)));

        assertThat(resolution).isEqualTo(new Resolution.MergeNeeded(OLD, List.of(YOUNG), List.of(), List.of()));
    }

    @Test
    void two_user_ids_never_merge_and_the_conflicting_identifier_is_dropped_with_the_reason() {
        // u2 logs in on a browser that u1 used: the event is u2's, and u1's profile is left alone.
        Resolution resolution = graph.resolve(List.of(U2, A1), List.of(profile(OLD, EARLY, U1, A1)));

        assertThat(resolution).isInstanceOfSatisfying(Resolution.NewProfile.class, created -> {
            assertThat(created.newIdentifiers()).containsExactly(U2);
            assertThat(created.dropped()).singleElement().satisfies(drop -> {
                assertThat(drop.identifier()).isEqualTo(A1);
                assertThat(drop.reason()).isEqualTo(DroppedIdentifier.CONFLICTING_PROFILE);
                assertThat(drop.detail()).contains(OLD.toString()).contains("2 userId values").contains("limit is 1");
            });
        });
    }

    @Test
    void the_strongest_match_wins_a_conflict() {
        Resolution resolution = graph.resolve(List.of(A2, U1),
                List.of(profile(OLD, EARLY, U2, A2), profile(YOUNG, LATE, U1)));

        assertThat(resolution).isInstanceOfSatisfying(Resolution.ExistingProfile.class, existing -> {
            assertThat(existing.profileId()).isEqualTo(YOUNG);
            assertThat(existing.dropped()).extracting(DroppedIdentifier::identifier).containsExactly(A2);
        });
    }

    @Test
    void a_new_identifier_over_its_limit_is_dropped() {
        IdentityRules oneEmail = new IdentityRules(Map.of("email", 1), List.of("userId", "email", "*"), Set.of());
        Identifier other = new Identifier("email", "ada@work.example");

        Resolution resolution = new IdentityGraph(oneEmail).resolve(List.of(U1, other), List.of(profile(OLD, EARLY, U1, EMAIL)));

        assertThat(resolution).isInstanceOfSatisfying(Resolution.ExistingProfile.class, existing -> {
            assertThat(existing.newIdentifiers()).isEmpty();
            assertThat(existing.dropped()).singleElement().satisfies(drop -> {
                assertThat(drop.identifier()).isEqualTo(other);
                assertThat(drop.reason()).isEqualTo(DroppedIdentifier.LIMIT_REACHED);
            });
        });
    }

    @Test
    void rules_reject_nonsense() {
        assertThatThrownBy(() -> new IdentityRules(Map.of("email", 0), List.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentityRules(Map.of(), List.of("email", "email"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> graph.resolve(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void external_id_types_rank_where_the_wildcard_stands() {
        IdentityRules rules = IdentityRules.defaults();

        assertThat(rules.rank("shopify_customer_id")).isGreaterThan(rules.rank("phone")).isLessThan(rules.rank("deviceId"));
        assertThat(new IdentityRules(Map.of(), List.of("userId"), Set.of()).rank("crm_id")).isEqualTo(1);
    }

    static MatchedProfile profile(UUID id, Instant createdAt, Identifier... identifiers) {
        return new MatchedProfile(id, createdAt, Set.of(identifiers));
    }
}
