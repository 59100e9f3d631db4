package io.kairos.consent.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyRevisionTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void everyUpdateIsTheNextVersionEvenOneThatChangesNothing() {
        PoliciesChange berlin = PoliciesJson.parseChange("{\"defaultTimezone\": \"Europe/Berlin\"}".getBytes(StandardCharsets.UTF_8));

        PolicyRevision first = PolicyRevision.DEFAULTS.next(berlin, T0, "admin");
        PolicyRevision second = first.next(berlin, T0.plusSeconds(1), "marketer");

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.policies().defaultTimezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(first.policies().quietHours()).isEqualTo(Policies.DEFAULTS.quietHours());
        assertThat(first.updatedAt()).contains(T0);
        assertThat(first.updatedBy()).isEqualTo("admin");
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.policies()).isEqualTo(first.policies());
        assertThat(second.updatedAt()).contains(T0.plusSeconds(1));
        assertThat(second.updatedBy()).isEqualTo("marketer");
    }
}
