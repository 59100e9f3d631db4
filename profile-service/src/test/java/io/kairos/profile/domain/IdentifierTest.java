package io.kairos.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierTest {

    @Test
    void emailIsTrimmedAndLowerCased() {
        assertThat(Identifier.normalise("email", "  Ada@Example.COM ")).contains(new Identifier("email", "ada@example.com"));
    }

    @Test
    void userIdKeepsItsCaseButLosesSurroundingBlanks() {
        assertThat(Identifier.normalise("userId", " U-42 ")).contains(new Identifier("userId", "U-42"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "null", "NULL", "undefined", "anonymous", "0", "unknown", " Unknown "})
    void placeholderValuesAreNoIdentifiers(String value) {
        assertThat(Identifier.normalise("anonymousId", value)).isEmpty();
    }

    @Test
    void missingValueOrTypeIsNoIdentifier() {
        assertThat(Identifier.normalise("userId", null)).isEmpty();
        assertThat(Identifier.normalise(" ", "u-1")).isEmpty();
    }

    @Test
    void eventIdentifiersComeFromUserIdAnonymousIdAndEmail() {
        ObservedEvent identify = Events.identify("u-1", "a-1", Map.of("traits", Map.of("email", " Ada@Example.com")), Events.T0);

        assertThat(identify.identifiers()).containsExactly(
                new Identifier("userId", "u-1"), new Identifier("anonymousId", "a-1"), new Identifier("email", "ada@example.com"));
    }

    @Test
    void trackTakesTheEmailFromContextTraits() {
        ObservedEvent track = Events.track("Viewed", "a-1", "web",
                Map.of("context", Map.of("traits", Map.of("email", "ADA@example.com"))), Events.T0);

        assertThat(track.identifiers()).containsExactly(new Identifier("anonymousId", "a-1"), new Identifier("email", "ada@example.com"));
    }

    @Test
    void blockedIdentifiersOfAnEventAreLeftOut() {
        ObservedEvent identify = Events.identify("null", "anonymous", Map.of("traits", Map.of("email", "undefined")), Events.T0);

        assertThat(identify.identifiers()).isEmpty();
    }
}
