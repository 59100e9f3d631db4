package io.kairos.consent.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

class ConsentSignalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConsentSubject SUBJECT = new ConsentSubject("ws", "p-1");
    private static final Instant AT = Instant.parse("2026-06-03T16:00:00Z");

    private final List<ConsentEntry> ledger = new ArrayList<>();

    private List<ConsentChange> read(String type, String event, String payload) throws Exception {
        JsonNode node = JSON.readTree(payload);
        return ConsentSignals.read(SUBJECT, type, event, AT, node, new ProfileConsents(ledger));
    }

    /** What the consumer does: appends what was read, so the next event sees it. */
    private void append(List<ConsentChange> changes) {
        for (ConsentChange c : changes) {
            ledger.add(new ConsentEntry(c.purpose(), c.channel(), c.status(), c.source(), c.origin(), c.proof(),
                    AT.plusMillis(ledger.size()), c.expiresAt(), ledger.size() + 1));
        }
    }

    @Test
    void segmentsConsentObjectIsRecordedOnceAndAgainOnlyWhenItChanges() throws Exception {
        String page = """
                {"context": {"ip": "203.0.113.9", "userAgent": "Mozilla/5.0",
                  "consent": {"categoryPreferences": {"Advertising": false, "Analytics": true, "C0009 Unknown": true}}}}""";
        List<ConsentChange> first = read("page", "", page);
        assertThat(first).extracting(ConsentChange::purpose, ConsentChange::channel, ConsentChange::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Purpose.SALE_SHARE, Channel.ALL, ConsentStatus.DENIED),
                        org.assertj.core.groups.Tuple.tuple(Purpose.ANALYTICS, Channel.ALL, ConsentStatus.GRANTED));
        assertThat(first.getFirst().proof()).isEqualTo(new Proof("", "203.0.113.9", "Mozilla/5.0"));
        assertThat(first.getFirst().origin()).isEqualTo(Origin.EVENT);
        append(first);

        assertThat(read("page", "", page)).as("the same preferences on the next page view").isEmpty();
        List<ConsentChange> changed = read("track", "Product Viewed", page.replace("\"Analytics\": true", "\"Analytics\": false"));
        assertThat(changed).singleElement().satisfies(c -> {
            assertThat(c.purpose()).isEqualTo(Purpose.ANALYTICS);
            assertThat(c.status()).isEqualTo(ConsentStatus.DENIED);
        });
    }

    @Test
    void aConsentUpdatedTrackIsAnExplicitStatementWithProofAndExpiry() throws Exception {
        List<ConsentChange> changes = read("track", "Consent Updated", """
                {"properties": {"purpose": "marketing", "channel": "sms", "status": "granted",
                  "expiresAt": "2027-06-03T00:00:00Z", "formId": "checkout-sms-optin"},
                 "context": {"ip": "198.51.100.7", "userAgent": "KairosApp/2.1"}}""");
        assertThat(changes).singleElement().isEqualTo(new ConsentChange(SUBJECT, Purpose.MARKETING, Channel.SMS,
                ConsentStatus.GRANTED, "Consent Updated", Origin.EVENT,
                new Proof("checkout-sms-optin", "198.51.100.7", "KairosApp/2.1"),
                Optional.of(Instant.parse("2027-06-03T00:00:00Z"))));
        append(changes);
        assertThat(read("track", "Consent Updated", """
                {"properties": {"purpose": "marketing", "channel": "sms", "status": "granted"}}"""))
                .as("an explicit statement is recorded even when it repeats the state").hasSize(1);
    }

    @Test
    void aMalformedConsentUpdatedIsRefusedWithTheField() {
        assertThatThrownBy(() -> read("track", "Consent Updated", """
                {"properties": {"purpose": "marketing", "status": "perhaps"}}"""))
                .asInstanceOf(type(InvalidConsentInput.class))
                .satisfies(invalid -> {
                    assertThat(invalid.reason()).isEqualTo("UNKNOWN_STATUS");
                    assertThat(invalid.field()).isEqualTo("properties/status");
                });
    }

    @Test
    void gpcIsRecordedOnceAndAgainOverAnOlderGrantButNotOverAGrantGivenSince() throws Exception {
        String gpc = """
                {"context": {"gpc": true}}""";
        ledger.add(new ConsentEntry(Purpose.SALE_SHARE, Channel.ALL, ConsentStatus.GRANTED, "signup", Origin.ADMIN,
                Proof.NONE, AT.minusSeconds(86_400), Optional.empty(), 1));
        List<ConsentChange> first = read("page", "", gpc);
        assertThat(first).singleElement().satisfies(c -> {
            assertThat(c.origin()).isEqualTo(Origin.GPC);
            assertThat(c.purpose()).isEqualTo(Purpose.SALE_SHARE);
            assertThat(c.status()).isEqualTo(ConsentStatus.DENIED);
        });
        append(first);
        assertThat(read("page", "", gpc)).as("the signal on every page").isEmpty();

        ledger.add(new ConsentEntry(Purpose.SALE_SHARE, Channel.ALL, ConsentStatus.GRANTED, "confirmed", Origin.ADMIN,
                Proof.NONE, AT.plusSeconds(60), Optional.empty(), 99));
        assertThat(read("page", "", gpc)).as("a grant confirmed after the signal stands").isEmpty();
    }

    @Test
    void eventsWithoutSignalsSayNothing() throws Exception {
        assertThat(read("track", "Order Completed", """
                {"properties": {"revenue": 10}, "context": {"gpc": false}}""")).isEmpty();
    }
}
