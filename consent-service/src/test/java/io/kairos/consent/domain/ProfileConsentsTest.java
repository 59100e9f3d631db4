package io.kairos.consent.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileConsentsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void historyIsOldestFirstAndCurrentIsTheLatestPerPurposeAndChannel() {
        ConsentEntry emailGranted = new ConsentEntry(Purpose.MARKETING, Channel.EMAIL, ConsentStatus.GRANTED, "signup", T0, 1);
        ConsentEntry smsGranted = new ConsentEntry(Purpose.MARKETING, Channel.SMS, ConsentStatus.GRANTED, "signup", T0.plusSeconds(1), 2);
        ConsentEntry emailRevoked = new ConsentEntry(Purpose.MARKETING, Channel.EMAIL, ConsentStatus.REVOKED, "unsubscribe", T0.plusSeconds(5), 3);
        ConsentEntry analyticsDenied = new ConsentEntry(Purpose.ANALYTICS, Channel.ALL, ConsentStatus.DENIED, "banner", T0.plusSeconds(5), 4);

        ProfileConsents consents = new ProfileConsents(List.of(analyticsDenied, emailRevoked, smsGranted, emailGranted));

        assertThat(consents.history()).containsExactly(emailGranted, smsGranted, emailRevoked, analyticsDenied);
        assertThat(consents.current()).containsExactly(analyticsDenied, emailRevoked, smsGranted);
    }

    @Test
    void sameMillisecondRecordsKeepAppendOrder() {
        ConsentEntry first = new ConsentEntry(Purpose.MARKETING, Channel.EMAIL, ConsentStatus.GRANTED, "a", T0, 10);
        ConsentEntry second = new ConsentEntry(Purpose.MARKETING, Channel.EMAIL, ConsentStatus.DENIED, "b", T0, 11);

        ProfileConsents consents = new ProfileConsents(List.of(second, first));

        assertThat(consents.history()).containsExactly(first, second);
        assertThat(consents.current()).containsExactly(second);
    }

    @Test
    void emptyLedgerHasNothingCurrent() {
        ProfileConsents consents = new ProfileConsents(List.of());
        assertThat(consents.history()).isEmpty();
        assertThat(consents.current()).isEmpty();
    }
}
