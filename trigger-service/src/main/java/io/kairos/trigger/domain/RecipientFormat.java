package io.kairos.trigger.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a message shows money and dates to its recipient: in their locale ({@code $locale}, else the
 * event's {@code context.locale}, else en-US) and their time zone ({@code $timezone}, else the
 * event's {@code context.timezone}, else the workspace's default). 1234.5 USD is "$1,234.56" to
 * en-US and "1.234,50 $" to de-DE; an instant is the recipient's local date.
 */
public record RecipientFormat(Locale locale, ZoneId zone) {

    public static final Locale DEFAULT_LOCALE = Locale.US;

    public static RecipientFormat of(Map<String, Object> traits, Map<String, Object> eventContext, ZoneId workspaceZone) {
        Locale locale = locale(text(traits, "$locale")).or(() -> locale(text(eventContext, "locale"))).orElse(DEFAULT_LOCALE);
        return new RecipientFormat(locale, zone(traits, eventContext).orElse(workspaceZone));
    }

    /** The recipient's own zone: {@code $timezone}, else the event's {@code context.timezone}; empty when neither names one. */
    public static Optional<ZoneId> zone(Map<String, Object> traits, Map<String, Object> eventContext) {
        return zone(text(traits, "$timezone")).or(() -> zone(text(eventContext, "timezone")));
    }

    /** {@code amount} in {@code currency} (ISO 4217), or in the locale's own currency (US dollars when it has none). */
    public String money(BigDecimal amount, String currency) {
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(currency != null ? Currency.getInstance(currency) : localCurrency());
        // Half up, as a price is read; NumberFormat's default (half even) would show ¥1,234.5 as ¥1,234.
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(amount);
    }

    /** The local date, as the locale writes it at medium length ("Nov 24, 2026"). */
    public String date(Instant instant) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).withZone(zone).format(instant);
    }

    /** The local date and time ("Nov 24, 2026, 3:04 PM"). */
    public String dateTime(Instant instant) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale).withZone(zone)
                .format(instant);
    }

    /** The local date and time in a {@link DateTimeFormatter} pattern ("EEEE d MMMM"), names in the locale's language. */
    public String formatted(Instant instant, String pattern) {
        return DateTimeFormatter.ofPattern(pattern, locale).withZone(zone).format(instant);
    }

    /** Why {@code pattern} is no date pattern, or empty. */
    public static Optional<String> patternProblem(String pattern) {
        try {
            DateTimeFormatter.ofPattern(pattern);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("\"" + pattern + "\" is not a date pattern: " + e.getMessage());
        }
    }

    /** Why {@code code} is no ISO 4217 currency, or empty. */
    public static Optional<String> currencyProblem(String code) {
        try {
            Currency.getInstance(code);
            return Optional.empty();
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.of("\"" + code + "\" is not an ISO 4217 currency code such as \"USD\" or \"EUR\"");
        }
    }

    /** An instant given as an Instant, an ISO-8601 date-time with offset, or epoch milliseconds; else null. */
    public static Instant instant(Object value) {
        return switch (value) {
            case Instant instant -> instant;
            case Long millis -> Instant.ofEpochMilli(millis);
            case Integer millis -> Instant.ofEpochMilli(millis);
            case String text -> {
                try {
                    yield OffsetDateTime.parse(text.trim()).toInstant();
                } catch (DateTimeParseException e) {
                    yield null;
                }
            }
            case null, default -> null;
        };
    }

    private Currency localCurrency() {
        try {
            return Currency.getInstance(locale);
        } catch (IllegalArgumentException noCountry) {
            return Currency.getInstance("USD");
        }
    }

    private static Optional<Locale> locale(String tag) {
        if (tag == null || tag.isBlank()) {
            return Optional.empty();
        }
        Locale locale = Locale.forLanguageTag(tag.trim().replace('_', '-'));
        return locale.getLanguage().isEmpty() ? Optional.empty() : Optional.of(locale);
    }

    private static Optional<ZoneId> zone(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(id.trim()));
        } catch (DateTimeException notAZone) {
            return Optional.empty();
        }
    }

    private static String text(Map<String, Object> map, String key) {
        return map != null && map.get(key) instanceof String text ? text : null;
    }
}
