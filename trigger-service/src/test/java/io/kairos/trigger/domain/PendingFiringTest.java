package io.kairos.trigger.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** When a waiting firing is due, what cancels it, and which waits share a key. */
class PendingFiringTest {

    private static final Instant ENTERED = Instant.parse("2026-03-08T06:30:00Z");
    private static final Action EMAIL = new Action(Channel.EMAIL, "marketing",
            new Action.Webhook(URI.create("https://provider.example/send"), "s"), new Action.MessageTemplate("s", "b"));
    private static final UUID TRIGGER = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private static TriggerDefinition trigger(Duration delay, Optional<TriggerDefinition.Unless> unless) {
        return new TriggerDefinition("t", new Entry.OnEvent("Product Added", List.of()), delay, Optional.empty(), unless,
                Optional.empty(), true, new TriggerDefinition.Reentry.Always(), Optional.empty(), EMAIL);
    }

    private static Firing entry(String messageId) {
        return Firing.of(TRIGGER, "ws", "p-1", new TriggerCause.ObservedEvent(messageId, "track", "Product Added", "web",
                ENTERED, Map.of(), Map.of()), ENTERED);
    }

    @Test
    void anUnlessWaitIsDueAtTheEndOfItsWindowAndOnlyItsEventInsideTheWindowCancelsIt() {
        PendingFiring wait = PendingFiring.waitFor(trigger(Duration.ZERO,
                Optional.of(new TriggerDefinition.Unless("Order Completed", Duration.ofMinutes(30), false))), entry("m-1"), Map.of(), ZoneOffset.UTC);

        assertThat(wait.dueAt()).isEqualTo(ENTERED.plus(Duration.ofMinutes(30)));
        assertThat(wait.reason()).isEqualTo(PendingFiring.Reason.UNLESS);
        assertThat(wait.cancelledBy("Order Completed", ENTERED.plus(Duration.ofMinutes(29)))).isTrue();
        assertThat(wait.cancelledBy("Order Completed", ENTERED.plus(Duration.ofMinutes(30)))).as("the window's last instant").isTrue();
        assertThat(wait.cancelledBy("Order Completed", ENTERED.plus(Duration.ofMinutes(31)))).isFalse();
        assertThat(wait.cancelledBy("Order Completed", ENTERED.minusSeconds(1))).as("an order before the cart").isFalse();
        assertThat(wait.cancelledBy("Product Viewed", ENTERED.plusSeconds(1))).isFalse();
    }

    @Test
    void aDelayLongerThanTheUnlessWindowSetsTheDueTimeButTheWindowStillEndsTheCancelling() {
        PendingFiring wait = PendingFiring.waitFor(trigger(Duration.ofHours(2),
                Optional.of(new TriggerDefinition.Unless("Order Completed", Duration.ofMinutes(30), false))), entry("m-1"), Map.of(), ZoneOffset.UTC);

        assertThat(wait.dueAt()).isEqualTo(ENTERED.plus(Duration.ofHours(2)));
        assertThat(wait.cancelledBy("Order Completed", ENTERED.plus(Duration.ofHours(1)))).isFalse();
    }

    @Test
    void eachEntryWaitsOnItsOwnUnlessTheWaitRestartsThenTheyShareOneKey() {
        TriggerDefinition.Unless once = new TriggerDefinition.Unless("Order Completed", Duration.ofMinutes(30), false);
        TriggerDefinition.Unless restarting = new TriggerDefinition.Unless("Order Completed", Duration.ofMinutes(30), true);

        assertThat(PendingFiring.waitFor(trigger(Duration.ZERO, Optional.of(once)), entry("m-1"), Map.of(), ZoneOffset.UTC).waitKey())
                .isNotEqualTo(PendingFiring.waitFor(trigger(Duration.ZERO, Optional.of(once)), entry("m-2"), Map.of(), ZoneOffset.UTC).waitKey());
        assertThat(PendingFiring.waitFor(trigger(Duration.ZERO, Optional.of(restarting)), entry("m-1"), Map.of(), ZoneOffset.UTC).waitKey())
                .isEqualTo(PendingFiring.waitFor(trigger(Duration.ZERO, Optional.of(restarting)), entry("m-2"), Map.of(), ZoneOffset.UTC).waitKey());
        assertThat(PendingFiring.waitFor(trigger(Duration.ofMinutes(5), Optional.empty()), entry("m-1"), Map.of(), ZoneOffset.UTC))
                .satisfies(delayed -> {
                    assertThat(delayed.reason()).isEqualTo(PendingFiring.Reason.DELAY);
                    assertThat(delayed.unlessEvent()).isEmpty();
                    assertThat(delayed.cancelledBy("Order Completed", ENTERED.plusSeconds(1))).isFalse();
                });
    }

    @Property
    void theWaitIsTheLongerOfDelayAndWindowAndCancellingStopsAtTheWindowsEnd(
            @ForAll @IntRange(min = 0, max = 10_000) int delaySeconds, @ForAll @IntRange(min = 1, max = 10_000) int windowSeconds,
            @ForAll @IntRange(min = -100, max = 20_000) int eventAfterSeconds) {
        PendingFiring wait = PendingFiring.waitFor(trigger(Duration.ofSeconds(delaySeconds), Optional.of(
                new TriggerDefinition.Unless("Order Completed", Duration.ofSeconds(windowSeconds), false))), entry("m-1"), Map.of(), ZoneOffset.UTC);

        assertThat(wait.dueAt()).isEqualTo(ENTERED.plusSeconds(Math.max(delaySeconds, windowSeconds)));
        assertThat(wait.cancelledBy("Order Completed", ENTERED.plusSeconds(eventAfterSeconds)))
                .isEqualTo(eventAfterSeconds >= 0 && eventAfterSeconds <= windowSeconds);
    }

    @Test
    void aDeferredFiringKeepsItsIdAndGoesOutWhenTheQuietHoursEnd() {
        Firing firing = entry("m-1");
        Instant morning = ENTERED.plus(Duration.ofHours(6));

        PendingFiring deferred = PendingFiring.deferred(trigger(Duration.ZERO, Optional.empty()), firing, Map.of(), morning);

        assertThat(deferred.dueAt()).isEqualTo(morning);
        assertThat(deferred.channel()).isEqualTo(Channel.EMAIL);
        assertThat(deferred.cancelledByLeaving()).isEmpty();
        assertThat(deferred.reason()).isEqualTo(PendingFiring.Reason.DEFERRED);
        assertThat(deferred.firingAt(morning.plusMillis(250))).satisfies(out -> {
            assertThat(out.firingId()).isEqualTo(firing.firingId());
            assertThat(out.firedAt()).isEqualTo(morning.plusMillis(250));
        });
    }
}
