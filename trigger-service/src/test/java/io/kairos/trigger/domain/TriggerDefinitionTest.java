package io.kairos.trigger.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
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

    private static TriggerDefinition at(String time, Duration delay) {
        return new TriggerDefinition("t", new Entry.OnEvent("Product Added", List.of()), delay,
                Optional.of(LocalTime.parse(time)), Optional.empty(), Optional.empty(), true, new TriggerDefinition.Reentry.Always(),
                Optional.empty(), ACTION);
    }

    @Test
    void aTimeOfDayIsTheNextOneInTheRecipientsZoneAfterTheDelay() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 2026-03-07 23:00 EST: the next 09:00 is the morning the clocks went forward (EDT, -04:00).
        assertThat(at("09:00", Duration.ZERO).dueAfter(Instant.parse("2026-03-08T04:00:00Z"), newYork))
                .isEqualTo(Instant.parse("2026-03-08T13:00:00Z"));
        // 10:00 local is past 09:00: tomorrow's.
        assertThat(at("09:00", Duration.ZERO).dueAfter(Instant.parse("2026-03-09T14:00:00Z"), newYork))
                .isEqualTo(Instant.parse("2026-03-10T13:00:00Z"));
        // 08:30 local and an hour's delay: 09:30 is past today's 09:00.
        assertThat(at("09:00", Duration.ofHours(1)).dueAfter(Instant.parse("2026-03-09T12:30:00Z"), newYork))
                .isEqualTo(Instant.parse("2026-03-10T13:00:00Z"));
        // 02:30 does not exist on 2026-03-08 in New York: 03:30 EDT.
        assertThat(at("02:30", Duration.ZERO).dueAfter(Instant.parse("2026-03-08T05:00:00Z"), newYork))
                .isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
        assertThat(at("09:00", Duration.ZERO).waits()).isTrue();
    }

    @Property
    void theTimeOfDayComesWithinADayAfterTheHoldAndIsThatLocalTime(
            @ForAll @LongRange(min = 1_700_000_000L, max = 1_900_000_000L) long enteredSecond,
            @ForAll @IntRange(min = 0, max = 86_399) int secondOfDay, @ForAll @IntRange(min = 0, max = 100_000) int delaySeconds) {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        LocalTime time = LocalTime.ofSecondOfDay(secondOfDay);
        Instant entered = Instant.ofEpochSecond(enteredSecond);
        Instant held = entered.plusSeconds(delaySeconds);

        Instant due = at(time.toString(), Duration.ofSeconds(delaySeconds)).dueAfter(entered, zone);

        assertThat(due).isAfterOrEqualTo(held).isBefore(held.plus(Duration.ofHours(25)));
        if (zone.getRules().isValidOffset(due.atZone(zone).toLocalDate().atTime(time), due.atZone(zone).getOffset())) {
            assertThat(due.atZone(zone).toLocalTime()).isEqualTo(time);
        }
    }
}
