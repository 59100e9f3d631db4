package io.kairos.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdentityResolutionTest {

    private static final Identifier USER = new Identifier("userId", "u-1");
    private static final Identifier ANON = new Identifier("anonymousId", "a-1");
    private static final Identifier EMAIL = new Identifier("email", "ada@example.com");

    private static final UUID OLD = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final UUID YOUNG = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final Instant EARLY = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant LATE = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void unknownIdentifiersMakeANewProfileHoldingAllOfThem() {
        Resolution resolution = IdentityResolution.resolve(List.of(USER, ANON), List.of());

        assertThat(resolution).isEqualTo(new Resolution.NewProfile(List.of(USER, ANON)));
    }

    @Test
    void oneKnownProfileGetsTheNewIdentifiersAttached() {
        Resolution resolution = IdentityResolution.resolve(List.of(USER, ANON, EMAIL),
                List.of(new KnownIdentifier(ANON, OLD, EARLY)));

        assertThat(resolution).isEqualTo(new Resolution.ExistingProfile(OLD, List.of(USER, EMAIL)));
    }

    @Test
    void allIdentifiersKnownOnOneProfileAttachNothing() {
        Resolution resolution = IdentityResolution.resolve(List.of(USER, ANON),
                List.of(new KnownIdentifier(USER, OLD, EARLY), new KnownIdentifier(ANON, OLD, EARLY)));

        assertThat(resolution).isEqualTo(new Resolution.ExistingProfile(OLD, List.of()));
    }

    @Test
    void severalProfilesSurviveIntoTheOneHoldingTheUserIdEvenIfYounger() {
        Resolution resolution = IdentityResolution.resolve(List.of(USER, ANON, EMAIL),
                List.of(new KnownIdentifier(ANON, OLD, EARLY), new KnownIdentifier(USER, YOUNG, LATE)));

        assertThat(resolution).isEqualTo(new Resolution.MergeNeeded(YOUNG, List.of(OLD), List.of(EMAIL)));
    }

    @Test
    void withoutAKnownUserIdTheOldestProfileSurvives() {
        Resolution resolution = IdentityResolution.resolve(List.of(USER, ANON, EMAIL),
                List.of(new KnownIdentifier(EMAIL, YOUNG, LATE), new KnownIdentifier(ANON, OLD, EARLY)));

        assertThat(resolution).isEqualTo(new Resolution.MergeNeeded(OLD, List.of(YOUNG), List.of(USER)));
    }

    @Test
    void equallyOldProfilesAreOrderedByIdSoRepeatedResolutionsAgree() {
        List<KnownIdentifier> known = List.of(new KnownIdentifier(EMAIL, OLD, EARLY), new KnownIdentifier(ANON, YOUNG, EARLY));

        assertThat(IdentityResolution.resolve(List.of(ANON, EMAIL), known))
                .isEqualTo(IdentityResolution.resolve(List.of(EMAIL, ANON), known.reversed()))
                .isEqualTo(new Resolution.MergeNeeded(YOUNG, List.of(OLD), List.of()));
    }

    @Test
    void threeProfilesAllButTheSurvivorAreToBeMerged() {
        UUID third = UUID.randomUUID();
        Resolution resolution = IdentityResolution.resolve(List.of(USER, ANON, EMAIL), List.of(
                new KnownIdentifier(USER, YOUNG, LATE),
                new KnownIdentifier(ANON, OLD, EARLY),
                new KnownIdentifier(EMAIL, third, EARLY.plusSeconds(1))));

        assertThat(resolution).isInstanceOfSatisfying(Resolution.MergeNeeded.class, merge -> {
            assertThat(merge.survivorId()).isEqualTo(YOUNG);
            assertThat(merge.absorbedIds()).containsExactly(OLD, third);
            assertThat(merge.newIdentifiers()).isEmpty();
        });
    }

    @Test
    void repeatedIdentifiersInOneEventAreAttachedOnce() {
        assertThat(IdentityResolution.resolve(List.of(ANON, ANON), List.of()).newIdentifiers()).containsExactly(ANON);
    }

    @Test
    void anEventWithoutIdentifiersCannotBeResolved() {
        assertThatThrownBy(() -> IdentityResolution.resolve(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
