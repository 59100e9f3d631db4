package io.kairos.consent.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static io.kairos.consent.domain.Channel.ALL;
import static io.kairos.consent.domain.Channel.EMAIL;
import static io.kairos.consent.domain.Channel.PUSH;
import static io.kairos.consent.domain.Channel.SMS;
import static io.kairos.consent.domain.ConsentStatus.DENIED;
import static io.kairos.consent.domain.ConsentStatus.GRANTED;
import static io.kairos.consent.domain.ConsentStatus.REVOKED;
import static io.kairos.consent.domain.Purpose.ANALYTICS;
import static io.kairos.consent.domain.Purpose.MARKETING;
import static io.kairos.consent.domain.Purpose.SALE_SHARE;
import static io.kairos.consent.domain.Purpose.SENSITIVE;
import static org.assertj.core.api.Assertions.assertThat;

class ConsentPolicyTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant NOW = T0.plusSeconds(3600);

    private final ConsentPolicy policy = new ConsentPolicy();

    private long sequence;

    private ConsentEntry entry(Purpose purpose, Channel channel, ConsentStatus status, Instant at) {
        return new ConsentEntry(purpose, channel, status, "preference-center", at, ++sequence);
    }

    private ConsentDecision decide(Purpose purpose, Channel channel, ConsentEntry... ledger) {
        return policy.decide(new ConsentQuery(purpose, channel, NOW), Recipient.UNKNOWN, Policies.NONE, List.of(ledger));
    }

    @Test
    void noRecordFallsBackToOptOut() {
        ConsentDecision decision = decide(MARKETING, EMAIL);
        assertThat(decision).isInstanceOf(ConsentDecision.Allow.class);
        assertThat(decision.reason()).isEqualTo("no consent record; opt-out under DEFAULT");
        assertThat(decision.rules()).containsExactly("DEFAULT.opt_out");
    }

    @Test
    void saleShareIsOptOutByDefault() {
        assertThat(decide(SALE_SHARE, Channel.WEB)).isInstanceOf(ConsentDecision.Allow.class);
    }

    @ParameterizedTest
    @EnumSource(Purpose.class)
    void smsWithoutRecordNeedsExpressConsent(Purpose purpose) {
        ConsentDecision decision = decide(purpose, SMS);
        assertThat(decision).isInstanceOf(ConsentDecision.Deny.class);
        assertThat(decision.rules()).contains("DEFAULT.express_consent.sms");
        assertThat(decision.reason()).startsWith("no consent record; ").contains("sms requires express consent");
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void sensitiveWithoutRecordNeedsOptIn(Channel channel) {
        ConsentDecision decision = decide(SENSITIVE, channel);
        assertThat(decision).isInstanceOf(ConsentDecision.Deny.class);
        assertThat(decision.rules()).startsWith("DEFAULT.opt_in.sensitive");
    }

    @Test
    void sensitiveOverSmsNamesBothRules() {
        ConsentDecision decision = decide(SENSITIVE, SMS);
        assertThat(decision.rules()).containsExactly("DEFAULT.opt_in.sensitive", "DEFAULT.express_consent.sms");
        assertThat(decision.reason())
                .isEqualTo("no consent record; sensitive requires opt-in consent and sms requires express consent under DEFAULT");
    }

    @Test
    void revokedRecordDeniesWithWhenAndSource() {
        ConsentDecision decision = decide(MARKETING, EMAIL, entry(MARKETING, EMAIL, REVOKED, T0));
        assertThat(decision).isInstanceOf(ConsentDecision.Deny.class);
        assertThat(decision.reason())
                .isEqualTo("consent revoked for marketing/email at 2025-03-01T12:00:00Z (source preference-center)");
        assertThat(decision.rules()).containsExactly(ConsentPolicy.LATEST_RECORD);
    }

    @Test
    void deniedRecordDenies() {
        assertThat(decide(ANALYTICS, PUSH, entry(ANALYTICS, PUSH, DENIED, T0)))
                .isInstanceOf(ConsentDecision.Deny.class);
    }

    @Test
    void reasonLeavesOutAnEmptySource() {
        ConsentEntry anonymous = new ConsentEntry(MARKETING, EMAIL, DENIED, "", T0, 1);
        assertThat(decide(MARKETING, EMAIL, anonymous).reason())
                .isEqualTo("consent denied for marketing/email at 2025-03-01T12:00:00Z");
    }

    @Test
    void grantedRecordOverridesTheStrictDefaults() {
        assertThat(decide(MARKETING, SMS, entry(MARKETING, SMS, GRANTED, T0))).isInstanceOf(ConsentDecision.Allow.class);
        ConsentDecision sensitive = decide(SENSITIVE, EMAIL, entry(SENSITIVE, ALL, GRANTED, T0));
        assertThat(sensitive).isInstanceOf(ConsentDecision.Allow.class);
        assertThat(sensitive.reason()).startsWith("consent granted for sensitive/all at ");
    }

    @Test
    void latestRecordWins() {
        assertThat(decide(MARKETING, EMAIL,
                entry(MARKETING, EMAIL, GRANTED, T0),
                entry(MARKETING, EMAIL, REVOKED, T0.plusSeconds(10)))).isInstanceOf(ConsentDecision.Deny.class);
        assertThat(decide(MARKETING, EMAIL,
                entry(MARKETING, EMAIL, REVOKED, T0.plusSeconds(10)),
                entry(MARKETING, EMAIL, GRANTED, T0.plusSeconds(20)))).isInstanceOf(ConsentDecision.Allow.class);
    }

    @Test
    void laterAllRecordOverridesAnOlderChannelRecord() {
        ConsentDecision decision = decide(MARKETING, EMAIL,
                entry(MARKETING, EMAIL, GRANTED, T0),
                entry(MARKETING, ALL, REVOKED, T0.plusSeconds(10)));
        assertThat(decision).isInstanceOf(ConsentDecision.Deny.class);
        assertThat(decision.reason()).contains("marketing/all");
    }

    @Test
    void laterChannelRecordOverridesAnOlderAllRecordOnlyForThatChannel() {
        ConsentEntry[] ledger = {
                entry(MARKETING, ALL, REVOKED, T0),
                entry(MARKETING, EMAIL, GRANTED, T0.plusSeconds(10))};
        assertThat(decide(MARKETING, EMAIL, ledger)).isInstanceOf(ConsentDecision.Allow.class);
        assertThat(decide(MARKETING, PUSH, ledger)).isInstanceOf(ConsentDecision.Deny.class);
    }

    @Test
    void recordsOfOtherChannelsOrPurposesDoNotDecide() {
        ConsentDecision decision = decide(MARKETING, EMAIL,
                entry(MARKETING, PUSH, REVOKED, T0),
                entry(ANALYTICS, EMAIL, REVOKED, T0),
                entry(ANALYTICS, ALL, REVOKED, T0));
        assertThat(decision).isInstanceOf(ConsentDecision.Allow.class);
        assertThat(decision.rules()).containsExactly("DEFAULT.opt_out");
    }

    @Test
    void askingForAllIsAnsweredOnlyByAllRecords() {
        assertThat(decide(MARKETING, ALL, entry(MARKETING, EMAIL, REVOKED, T0)))
                .isInstanceOf(ConsentDecision.Allow.class);
        assertThat(decide(MARKETING, ALL, entry(MARKETING, ALL, REVOKED, T0)))
                .isInstanceOf(ConsentDecision.Deny.class);
    }

    @Test
    void recordsAfterTheAskedInstantAreNotConsidered() {
        ConsentEntry granted = entry(MARKETING, EMAIL, GRANTED, T0);
        ConsentEntry revoked = entry(MARKETING, EMAIL, REVOKED, T0.plusSeconds(60));
        List<ConsentEntry> ledger = List.of(granted, revoked);

        assertThat(policy.decide(new ConsentQuery(MARKETING, EMAIL, T0.minusMillis(1)), Recipient.UNKNOWN, Policies.NONE, ledger).rules())
                .containsExactly("DEFAULT.opt_out");
        assertThat(policy.decide(new ConsentQuery(MARKETING, EMAIL, T0), Recipient.UNKNOWN, Policies.NONE, ledger))
                .as("a record stamped exactly at the asked instant counts")
                .isInstanceOf(ConsentDecision.Allow.class);
        assertThat(policy.decide(new ConsentQuery(MARKETING, EMAIL, T0.plusSeconds(59)), Recipient.UNKNOWN, Policies.NONE, ledger))
                .isInstanceOf(ConsentDecision.Allow.class);
        assertThat(policy.decide(new ConsentQuery(MARKETING, EMAIL, T0.plusSeconds(60)), Recipient.UNKNOWN, Policies.NONE, ledger))
                .isInstanceOf(ConsentDecision.Deny.class);
    }

    @Test
    void sameMillisecondGoesToTheRecordAppendedLast() {
        ConsentEntry first = new ConsentEntry(MARKETING, ALL, GRANTED, "a", T0, 7);
        ConsentEntry second = new ConsentEntry(MARKETING, EMAIL, REVOKED, "b", T0, 8);
        assertThat(decide(MARKETING, EMAIL, second, first)).isInstanceOf(ConsentDecision.Deny.class);
        assertThat(decide(MARKETING, EMAIL,
                new ConsentEntry(MARKETING, EMAIL, REVOKED, "a", T0, 7),
                new ConsentEntry(MARKETING, ALL, GRANTED, "b", T0, 8))).isInstanceOf(ConsentDecision.Allow.class);
    }
}
