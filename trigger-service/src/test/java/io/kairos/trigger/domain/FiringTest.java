package io.kairos.trigger.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class FiringTest {

    private static final UUID TRIGGER = UUID.fromString("7d2c4e0a-1f7b-4a59-9c55-2a8f0f3c9b11");

    @Test
    void idIsANameBasedUuidOfTriggerAndCause() {
        UUID id = Firing.firingId(TRIGGER, "msg-1");

        assertThat(id).isEqualTo(Firing.firingId(TRIGGER, "msg-1"))
                .isEqualTo(UUID.nameUUIDFromBytes((TRIGGER + "/msg-1").getBytes(StandardCharsets.UTF_8)));
        assertThat(id.version()).isEqualTo(3);
        assertThat(id).isNotEqualTo(Firing.firingId(TRIGGER, "msg-2"))
                .isNotEqualTo(Firing.firingId(UUID.randomUUID(), "msg-1"));
    }

    @Test
    void aRedeliveredCauseGivesTheSameFiring() {
        TriggerCause event = new TriggerCause.ObservedEvent("msg-1", "track", "Product Added", "web",
                Instant.EPOCH, Map.of(), Map.of());
        Firing first = Firing.of(TRIGGER, "ws", "p1", event, Instant.parse("2025-01-01T00:00:00.123456Z"));
        Firing again = Firing.of(TRIGGER, "ws", "p1", event, Instant.parse("2025-01-01T00:05:00Z"));

        assertThat(again.firingId()).isEqualTo(first.firingId());
        assertThat(first.firedAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00.123Z"));
    }

    @Test
    void membershipFiringsAreKeyedByChangeId() {
        TriggerCause change = new TriggerCause.MembershipTransition("chg-9", "seg", 1, true, "r", "", Instant.EPOCH);

        assertThat(Firing.of(TRIGGER, "ws", "p1", change, Instant.EPOCH).firingId())
                .isEqualTo(Firing.firingId(TRIGGER, "chg-9"));
    }
}
