package io.kairos.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierTest {

    private static final IdentityRules RULES = IdentityRules.defaults();

    @Test
    void emailIsTrimmedAndLowerCased() {
        assertThat(Identifier.normalise("email", "  Ada@Example.COM ")).contains(new Identifier("email", "ada@example.com"));
    }

    @Test
    void userIdKeepsItsCaseButLosesSurroundingBlanks() {
        assertThat(Identifier.normalise("userId", " U-42 ")).contains(new Identifier("userId", "U-42"));
    }

    @Test
    void phonesBecomeE164WhereTheyParse() {
        assertThat(Identifier.normalise("phone", "+44 20 7946 0958")).contains(new Identifier("phone", "+442079460958"));
        assertThat(Identifier.normalise("phone", "(415) 555-0100", "US")).contains(new Identifier("phone", "+14155550100"));
        assertThat(Identifier.normalise("phone", "+1 415.555.0100", "FR")).contains(new Identifier("phone", "+14155550100"));
        // Without a country, a national number cannot be placed: its digits are kept.
        assertThat(Identifier.normalise("phone", "(415) 555-0100")).contains(new Identifier("phone", "4155550100"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "null", "NULL", "undefined", "anonymous", "0", "unknown", " Unknown "})
    void placeholderValuesAreBlockedByTheDefaultRules(String value) {
        assertThat(RULES.blocks(value)).isTrue();
    }

    @Test
    void missingValueOrTypeIsNoIdentifier() {
        assertThat(Identifier.normalise("userId", null)).isEmpty();
        assertThat(Identifier.normalise("userId", "  ")).isEmpty();
        assertThat(Identifier.normalise(" ", "u-1")).isEmpty();
    }

    @Test
    void eventIdentifiersComeFromUserIdAnonymousIdAndEmail() {
        ObservedEvent identify = Events.identify("u-1", "a-1", Map.of("traits", Map.of("email", " Ada@Example.com")), Events.T0);

        assertThat(identify.identifiers(RULES)).containsExactly(
                new Identifier("userId", "u-1"), new Identifier("anonymousId", "a-1"), new Identifier("email", "ada@example.com"));
    }

    @Test
    void trackTakesTheEmailFromContextTraits() {
        ObservedEvent track = Events.track("Viewed", "a-1", "web",
                Map.of("context", Map.of("traits", Map.of("email", "ADA@example.com"))), Events.T0);

        assertThat(track.identifiers(RULES)).containsExactly(new Identifier("anonymousId", "a-1"), new Identifier("email", "ada@example.com"));
    }

    @Test
    void phoneDeviceAndExternalIdsAreIdentifiersToo() {
        ObservedEvent screen = Events.event(EventType.SCREEN, "Cart", null, "a-1", "mobile", Map.of(
                "traits", Map.of("phone", "020 7946 0958"),
                "context", Map.of("locale", "en-GB", "device", Map.of("id", "D-1"),
                        "externalIds", List.of(
                                Map.of("id", "C-77", "type", "shopify_customer_id", "collection", "users"),
                                Map.of("id", "u-evil", "type", "userId"),
                                Map.of("id", "unknown", "type", "crm_id")))), Events.T0);

        assertThat(screen.identifiers(RULES)).containsExactly(
                new Identifier("anonymousId", "a-1"), new Identifier("phone", "+442079460958"),
                new Identifier("deviceId", "D-1"), new Identifier("shopify_customer_id", "C-77"));
    }

    @Test
    void aliasBringsItsPreviousIdAsAnAnonymousId() {
        ObservedEvent alias = new ObservedEvent("ws", "m-1", EventType.ALIAS, null, "u-1", null, "a-9", null, null,
                null, Events.T0, Events.T0, Map.of());

        assertThat(alias.identifiers(RULES)).containsExactly(new Identifier("userId", "u-1"), new Identifier("anonymousId", "a-9"));
    }

    @Test
    void blockedIdentifiersOfAnEventAreLeftOut() {
        ObservedEvent identify = Events.identify("null", "anonymous", Map.of("traits", Map.of("email", "undefined")), Events.T0);

        assertThat(identify.identifiers(RULES)).isEmpty();
    }

    @Test
    void aWorkspaceCanBlockItsOwnPlaceholders() {
        IdentityRules rules = new IdentityRules(Map.of(), List.of(), java.util.Set.of("guest"));
        ObservedEvent identify = Events.identify("GUEST", "a-1", Map.of(), Events.T0);

        assertThat(identify.identifiers(rules)).containsExactly(new Identifier("anonymousId", "a-1"));
        assertThat(rules.blocks("null")).isFalse();
    }
}
