package io.kairos.consent.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** Validation of SetConsent / Check input: which field, why. */
class ConsentInputTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private static void assertRefused(Runnable parse, String reason, String field) {
        assertThatThrownBy(parse::run)
                .asInstanceOf(type(InvalidConsentInput.class))
                .satisfies(invalid -> {
                    assertThat(invalid.reason()).isEqualTo(reason);
                    assertThat(invalid.field()).isEqualTo(field);
                    assertThat(invalid.getMessage()).startsWith(field);
                });
    }

    @Test
    void acceptsAWellFormedChange() {
        ConsentChange change = ConsentChange.parse("ws", "p-1", "sale_share", "in_app", "revoked", "gpc", Proof.NONE, 0, NOW);
        assertThat(change).isEqualTo(new ConsentChange(new ConsentSubject("ws", "p-1"),
                Purpose.SALE_SHARE, Channel.IN_APP, ConsentStatus.REVOKED, "gpc", Origin.ADMIN, Proof.NONE, Optional.empty()));
    }

    @Test
    void sourceIsOptional() {
        assertThat(ConsentChange.parse("ws", "p-1", "marketing", "email", "granted", "", Proof.NONE, 0, NOW).source()).isEmpty();
        assertThat(ConsentChange.parse("ws", "p-1", "marketing", "email", "granted", null, Proof.NONE, 0, NOW).source()).isEmpty();
    }

    @Test
    void requiredFieldsAreReportedInRequestOrder() {
        assertRefused(() -> ConsentChange.parse("", "", "", "", "", "", Proof.NONE, 0, NOW), "FIELD_REQUIRED", "workspace");
        assertRefused(() -> ConsentChange.parse("ws", " ", "", "", "", "", Proof.NONE, 0, NOW), "FIELD_REQUIRED", "profileId");
        assertRefused(() -> ConsentChange.parse("ws", "p", "", "email", "granted", "", Proof.NONE, 0, NOW), "FIELD_REQUIRED", "purpose");
        assertRefused(() -> ConsentChange.parse("ws", "p", "marketing", null, "granted", "", Proof.NONE, 0, NOW), "FIELD_REQUIRED", "channel");
        assertRefused(() -> ConsentChange.parse("ws", "p", "marketing", "email", "", "", Proof.NONE, 0, NOW), "FIELD_REQUIRED", "status");
    }

    @Test
    void unknownValuesNameTheAllowedOnes() {
        assertThatThrownBy(() -> ConsentChange.parse("ws", "p", "advertising", "email", "granted", "", Proof.NONE, 0, NOW))
                .asInstanceOf(type(InvalidConsentInput.class))
                .satisfies(invalid -> {
                    assertThat(invalid.reason()).isEqualTo("UNKNOWN_PURPOSE");
                    assertThat(invalid.field()).isEqualTo("purpose");
                    assertThat(invalid.getMessage()).isEqualTo(
                            "purpose 'advertising' is not one of analytics, personalization, marketing, sale_share, sensitive");
                    assertThat(invalid.details()).containsEntry("allowed",
                            "analytics, personalization, marketing, sale_share, sensitive");
                });
        assertRefused(() -> ConsentChange.parse("ws", "p", "marketing", "fax", "granted", "", Proof.NONE, 0, NOW), "UNKNOWN_CHANNEL", "channel");
        assertRefused(() -> ConsentChange.parse("ws", "p", "marketing", "email", "maybe", "", Proof.NONE, 0, NOW), "UNKNOWN_STATUS", "status");
    }

    @Test
    void vocabularyIsCaseSensitive() {
        assertRefused(() -> ConsentChange.parse("ws", "p", "Marketing", "email", "granted", "", Proof.NONE, 0, NOW), "UNKNOWN_PURPOSE", "purpose");
        assertRefused(() -> ConsentChange.parse("ws", "p", "marketing", "EMAIL", "granted", "", Proof.NONE, 0, NOW), "UNKNOWN_CHANNEL", "channel");
    }

    @Test
    void overlongTextIsRefused() {
        String longText = "x".repeat(TextField.MAX_LENGTH + 1);
        assertRefused(() -> ConsentChange.parse("ws", longText, "marketing", "email", "granted", "", Proof.NONE, 0, NOW), "FIELD_TOO_LONG", "profileId");
        assertRefused(() -> ConsentChange.parse("ws", "p", "marketing", "email", "granted", longText, Proof.NONE, 0, NOW), "FIELD_TOO_LONG", "source");
        assertThat(ConsentChange.parse("ws", "x".repeat(TextField.MAX_LENGTH), "marketing", "email", "granted", "", Proof.NONE, 0, NOW).subject().profileId())
                .hasSize(TextField.MAX_LENGTH);
    }

    @Test
    void queryAtZeroMeansNow() {
        assertThat(ConsentQuery.parse("marketing", "email", 0, false, NOW).at()).isEqualTo(NOW);
        assertThat(ConsentQuery.parse("marketing", "email", 1_000, false, NOW).at()).isEqualTo(Instant.ofEpochMilli(1_000));
    }

    @Test
    void queryRefusesNegativeTimeAndUnknownValues() {
        assertRefused(() -> ConsentQuery.parse("marketing", "email", -1, false, NOW), "INVALID_TIMESTAMP", "atMs");
        assertRefused(() -> ConsentQuery.parse("sales", "email", 0, false, NOW), "UNKNOWN_PURPOSE", "purpose");
        assertRefused(() -> ConsentQuery.parse("marketing", "carrier-pigeon", 0, false, NOW), "UNKNOWN_CHANNEL", "channel");
    }
}
