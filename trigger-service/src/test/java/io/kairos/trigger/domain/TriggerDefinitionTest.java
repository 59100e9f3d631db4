package io.kairos.trigger.domain;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TriggerDefinitionTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Action ACTION = new Action(Channel.EMAIL, "marketing",
            new Action.Webhook(URI.create("https://p.example"), "s"), new Action.MessageTemplate(null, "b"));

    private static TriggerCause.ObservedEvent event(String name, Map<String, Object> properties) {
        return new TriggerCause.ObservedEvent("m1", "track", name, "web", NOW, properties, Map.of());
    }

    private static TriggerCause.MembershipTransition transition(String segment, boolean entered) {
        return new TriggerCause.MembershipTransition("c1", segment, 1, entered, "", "", NOW);
    }

    @Test
    void eventEntryNeedsTheNameAndEveryFilter() {
        TriggerDefinition trigger = new TriggerDefinition("t", new Entry.OnEvent("Product Added", List.of(
                new PropertyFilter("price", Operator.GTE, new BigDecimal("10")),
                new PropertyFilter("currency", Operator.EQ, "EUR"))), ACTION);

        assertThat(trigger.firesOn(event("Product Added", Map.of("price", 12, "currency", "EUR")), NOW)).isTrue();
        assertThat(trigger.firesOn(event("Product Added", Map.of("price", 12, "currency", "USD")), NOW)).isFalse();
        assertThat(trigger.firesOn(event("Product Viewed", Map.of("price", 12, "currency", "EUR")), NOW)).isFalse();
        assertThat(trigger.firesOn(transition("Product Added", true), NOW)).isFalse();
    }

    @Test
    void segmentEntriesNeedTheSegmentAndTheDirection() {
        TriggerDefinition onEnter = new TriggerDefinition("t", new Entry.OnSegmentEntered("vip"), ACTION);
        TriggerDefinition onExit = new TriggerDefinition("t", new Entry.OnSegmentExited("vip"), ACTION);

        assertThat(onEnter.firesOn(transition("vip", true), NOW)).isTrue();
        assertThat(onEnter.firesOn(transition("vip", false), NOW)).isFalse();
        assertThat(onEnter.firesOn(transition("other", true), NOW)).isFalse();
        assertThat(onEnter.firesOn(event("vip", Map.of()), NOW)).isFalse();
        assertThat(onExit.firesOn(transition("vip", false), NOW)).isTrue();
        assertThat(onExit.firesOn(transition("vip", true), NOW)).isFalse();
    }

    @Test
    void reentryPoliciesSayFromWhenAnEarlierFiringKeepsTheProfileOut() {
        assertThat(new TriggerDefinition.Reentry.Always().blockingSince(NOW)).isEmpty();
        assertThat(new TriggerDefinition.Reentry.Once().blockingSince(NOW)).contains(Instant.EPOCH);
        assertThat(new TriggerDefinition.Reentry.OncePer(Duration.ofDays(1)).blockingSince(NOW)).contains(NOW.minus(Duration.ofDays(1)));
        assertThat(new TriggerDefinition.Reentry.OncePer(Duration.ofDays(1)).refusal()).isEqualTo(
                "re-entry: the trigger fired for this profile within PT24H (oncePer)");
    }
}
