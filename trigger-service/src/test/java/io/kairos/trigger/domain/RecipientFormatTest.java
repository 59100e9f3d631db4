package io.kairos.trigger.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecipientFormatTest {

    private static final ZoneId WORKSPACE = ZoneId.of("America/New_York");

    @Test
    void theProfilesLocaleAndZoneComeFirstThenTheEventsThenTheDefaults() {
        Map<String, Object> context = Map.of("locale", "fr-FR", "timezone", "Europe/Paris");

        assertThat(RecipientFormat.of(Map.of("$locale", "de_DE", "$timezone", "Europe/Berlin"), context, WORKSPACE))
                .isEqualTo(new RecipientFormat(Locale.GERMANY, ZoneId.of("Europe/Berlin")));
        assertThat(RecipientFormat.of(Map.of(), context, WORKSPACE))
                .isEqualTo(new RecipientFormat(Locale.FRANCE, ZoneId.of("Europe/Paris")));
        assertThat(RecipientFormat.of(Map.of("$locale", "", "$timezone", "Mars/Olympus"), Map.of(), WORKSPACE))
                .as("what names no locale or zone is passed over")
                .isEqualTo(new RecipientFormat(Locale.US, WORKSPACE));
        assertThat(RecipientFormat.of(null, null, ZoneOffset.UTC)).isEqualTo(new RecipientFormat(Locale.US, ZoneOffset.UTC));
    }

    @Test
    void moneyIsInTheLocalesCurrencyUnlessOneIsNamed() {
        BigDecimal amount = new BigDecimal("1234.5");

        assertThat(new RecipientFormat(Locale.US, WORKSPACE).money(amount, null)).isEqualTo("$1,234.50");
        assertThat(new RecipientFormat(Locale.UK, WORKSPACE).money(amount, null)).isEqualTo("£1,234.50");
        assertThat(new RecipientFormat(Locale.JAPAN, WORKSPACE).money(amount, null)).isEqualTo("￥1,235");
        assertThat(new RecipientFormat(Locale.US, WORKSPACE).money(amount, "EUR")).isEqualTo("€1,234.50");
        assertThat(new RecipientFormat(Locale.ENGLISH, WORKSPACE).money(amount, null))
                .as("a locale without a country pays in US dollars").isEqualTo("$1,234.50");
    }

    @Test
    void datesAreOnTheRecipientsLocalCalendar() {
        Instant lateEvening = Instant.parse("2026-03-01T23:30:00Z");

        assertThat(new RecipientFormat(Locale.US, WORKSPACE).date(lateEvening)).isEqualTo("Mar 1, 2026");
        assertThat(new RecipientFormat(Locale.US, ZoneId.of("Asia/Tokyo")).date(lateEvening)).isEqualTo("Mar 2, 2026");
        assertThat(new RecipientFormat(Locale.GERMANY, ZoneId.of("Europe/Berlin")).formatted(lateEvening, "EEEE, HH:mm"))
                .isEqualTo("Montag, 00:30");
    }

    @Test
    void instantsAreReadFromTheShapesEventsCarry() {
        Instant at = Instant.parse("2026-03-01T23:30:00Z");

        assertThat(RecipientFormat.instant("2026-03-01T23:30:00Z")).isEqualTo(at);
        assertThat(RecipientFormat.instant("2026-03-02T00:30:00+01:00")).isEqualTo(at);
        assertThat(RecipientFormat.instant(at.toEpochMilli())).isEqualTo(at);
        assertThat(RecipientFormat.instant("yesterday")).isNull();
        assertThat(RecipientFormat.instant(12.5)).isNull();
    }

    @Test
    void badCurrenciesAndPatternsAreNamed() {
        assertThat(RecipientFormat.currencyProblem("EUR")).isEmpty();
        assertThat(RecipientFormat.currencyProblem("EURO")).isPresent();
        assertThat(RecipientFormat.patternProblem("d MMM yyyy")).isEmpty();
        assertThat(RecipientFormat.patternProblem("d MMM #")).isPresent();
    }
}
