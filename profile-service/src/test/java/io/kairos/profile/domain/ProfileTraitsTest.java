package io.kairos.profile.domain;

import static io.kairos.profile.domain.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTraitsTest {

    @Test
    void identifyOnANewProfileSetsItsTraitsAndSystemTraits() {
        ObservedEvent identify = Events.event(EventType.IDENTIFY, null, "u-1", null, "web",
                Map.of("traits", Map.of("plan", "pro", "name", "Ada"),
                        "context", Map.of("timezone", "Europe/Paris", "locale", "fr-FR")), T0);

        TraitUpdate update = ProfileTraits.apply(ProfileState.unseen(), identify);

        assertThat(update.traits()).containsOnly(
                entry("plan", "pro"), entry("name", "Ada"),
                entry("$firstSeen", "2025-03-01T10:00:00Z"), entry("$lastSeen", "2025-03-01T10:00:00Z"),
                entry("$channels", List.of("web")), entry("$timezone", "Europe/Paris"), entry("$locale", "fr-FR"),
                entry("$country", "FR"));
        assertThat(update.changed()).isEqualTo(update.traits());
        assertThat(update.firstSeen()).isEqualTo(T0);
        assertThat(update.lastSeen()).isEqualTo(T0);
    }

    @Test
    void theLocationOfTheContextWinsOverTheLocalesCountry() {
        ObservedEvent page = Events.event(EventType.PAGE, "Home", null, "a-1", "web", Map.of("context", Map.of(
                "locale", "en-US", "location", Map.of("country", "ca", "region", "Quebec"))), T0);

        TraitUpdate update = ProfileTraits.apply(ProfileState.unseen(), page);

        assertThat(update.traits()).containsEntry("$country", "CA").containsEntry("$region", "Quebec");
    }

    @Test
    void identifyMergesTraitsAndReportsOnlyWhatChanged() {
        ProfileState current = new ProfileState(Map.of("plan", "free", "name", "Ada", "$firstSeen", T0.toString(),
                "$lastSeen", T0.toString()), T0, T0);
        ObservedEvent identify = Events.identify("u-1", null, Map.of("traits", Map.of("plan", "pro", "name", "Ada")), T0);

        TraitUpdate update = ProfileTraits.apply(current, identify);

        assertThat(update.traits()).containsEntry("plan", "pro").containsEntry("name", "Ada");
        assertThat(update.changed()).containsOnly(entry("plan", "pro"));
    }

    @Test
    void trackMergesContextTraitsButNotTopLevelOnes() {
        ObservedEvent track = Events.track("Product Viewed", "a-1", "mobile",
                Map.of("traits", Map.of("ignored", true), "context", Map.of("traits", Map.of("city", "Lyon"))), T0);

        TraitUpdate update = ProfileTraits.apply(ProfileState.unseen(), track);

        assertThat(update.traits()).containsEntry("city", "Lyon").doesNotContainKey("ignored");
    }

    @Test
    void groupTraitsDescribeTheGroupNotThePerson() {
        ObservedEvent group = Events.event(EventType.GROUP, null, "u-1", null, null, Map.of("traits", Map.of("employees", 40)), T0);

        assertThat(ProfileTraits.apply(ProfileState.unseen(), group).traits()).doesNotContainKey("employees");
    }

    @Test
    void aNullTraitRemovesItAndIsReportedAsNull() {
        ProfileState current = new ProfileState(Map.of("plan", "pro"), T0, T0);
        Map<String, Object> traits = new HashMap<>();
        traits.put("plan", null);
        traits.put("never-set", null);

        TraitUpdate update = ProfileTraits.apply(current, Events.identify("u-1", null, Map.of("traits", traits), T0));

        assertThat(update.traits()).doesNotContainKey("plan").doesNotContainKey("never-set");
        assertThat(update.changed()).containsOnly(entry("plan", null), entry("$firstSeen", T0.toString()),
                entry("$lastSeen", T0.toString()));
    }

    @Test
    void eventsCannotSetSystemTraits() {
        ObservedEvent identify = Events.identify("u-1", null,
                Map.of("traits", Map.of("$firstSeen", "1970-01-01T00:00:00Z", "$channels", List.of("fake"))), T0);

        TraitUpdate update = ProfileTraits.apply(ProfileState.unseen(), identify);

        assertThat(update.traits()).containsEntry("$firstSeen", T0.toString()).doesNotContainKey("$channels");
    }

    @Test
    void firstAndLastSeenWidenWithOutOfOrderEvents() {
        Instant earlier = T0.minusSeconds(3600);
        Instant later = T0.plusSeconds(3600);
        ProfileState current = state(ProfileTraits.apply(ProfileState.unseen(), Events.track("A", "a-1", null, Map.of(), T0)));

        ProfileState afterLate = state(ProfileTraits.apply(current, Events.track("B", "a-1", null, Map.of(), later)));
        TraitUpdate afterEarly = ProfileTraits.apply(afterLate, Events.track("C", "a-1", null, Map.of(), earlier));

        assertThat(afterEarly.firstSeen()).isEqualTo(earlier);
        assertThat(afterEarly.lastSeen()).isEqualTo(later);
        assertThat(afterEarly.changed()).containsOnly(entry("$firstSeen", earlier.toString()));
    }

    @Test
    void channelsAccumulateAsASortedSet() {
        ProfileState current = new ProfileState(Map.of("$channels", List.of("web")), T0, T0);
        ObservedEvent track = Events.track("Order Completed", "a-1", "pos",
                Map.of("context", Map.of("channel", "pos")), T0);

        TraitUpdate update = ProfileTraits.apply(current, track);

        assertThat(update.traits()).containsEntry("$channels", List.of("pos", "web"));
        assertThat(update.changed()).containsKey("$channels");
        assertThat(ProfileTraits.apply(state(update), track).changed()).isEmpty();
    }

    @Test
    void anUnknownTimeZoneIsNotTaken() {
        ProfileState current = new ProfileState(Map.of("$timezone", "America/New_York"), T0, T0);
        ObservedEvent track = Events.track("A", "a-1", null, Map.of("context", Map.of("timezone", "Mars/Olympus")), T0);

        assertThat(ProfileTraits.apply(current, track).traits()).containsEntry("$timezone", "America/New_York");
    }

    @Test
    void numbersAreComparedByValueNotByJavaType() {
        ProfileState current = new ProfileState(Map.of("orders", 3L, "ltv", 10.0, "address", Map.of("zip", 75001),
                "$firstSeen", T0.toString(), "$lastSeen", T0.toString()), T0, T0);
        ObservedEvent identify = Events.identify("u-1", null,
                Map.of("traits", Map.of("orders", 3, "ltv", 10, "address", Map.of("zip", 75001L))), T0);

        assertThat(ProfileTraits.apply(current, identify).changed()).isEmpty();
    }

    static ProfileState state(TraitUpdate update) {
        return update.state();
    }
}
