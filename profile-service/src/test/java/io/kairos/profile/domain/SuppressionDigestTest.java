package io.kairos.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SuppressionDigestTest {

    private static final Identifier ADA = new Identifier("email", "ada@example.com");

    @Test
    void isTheHexSha256OfWorkspaceTypeAndValue() {
        // sha256("ws-1\0email\0ada@example.com"), computed outside Java
        assertThat(SuppressionDigest.of("ws-1", ADA))
                .isEqualTo("27ce36d3afc2e4ef54a47eef39a1216411cac408cb334cce54be2eb4b5e7c4a2");
    }

    @Test
    void theSamePersonSpelledDifferentlyHasOneDigestOnceNormalised() {
        Identifier shouted = Identifier.normalise("email", "  ADA@Example.com ").orElseThrow();
        assertThat(SuppressionDigest.of("ws-1", shouted)).isEqualTo(SuppressionDigest.of("ws-1", ADA));
    }

    @Test
    void isScopedToTheWorkspaceAndTheIdentifierType() {
        assertThat(SuppressionDigest.of("ws-2", ADA)).isNotEqualTo(SuppressionDigest.of("ws-1", ADA));
        assertThat(SuppressionDigest.of("ws-1", new Identifier("userId", "ada@example.com")))
                .isNotEqualTo(SuppressionDigest.of("ws-1", ADA));
    }

    @Test
    void partsCannotRunIntoEachOther() {
        assertThat(SuppressionDigest.of("ws", new Identifier("userId", "1x")))
                .isNotEqualTo(SuppressionDigest.of("ws", new Identifier("userId1", "x")))
                .isNotEqualTo(SuppressionDigest.of("wsuserId", new Identifier("", "1x")));
    }

    @Test
    void holdsNothingOfTheIdentifierInTheClear() {
        assertThat(SuppressionDigest.of("ws-1", ADA)).hasSize(64).matches("[0-9a-f]+").doesNotContain("ada");
    }
}
