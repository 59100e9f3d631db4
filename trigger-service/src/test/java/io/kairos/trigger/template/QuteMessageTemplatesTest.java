package io.kairos.trigger.template;

import io.kairos.trigger.domain.Action;
import io.kairos.trigger.domain.RecipientFormat;
import io.kairos.trigger.domain.RenderedMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QuteMessageTemplatesTest {

    private static final RecipientFormat NEW_YORK = new RecipientFormat(Locale.US, ZoneId.of("America/New_York"));
    private static final RecipientFormat BERLIN = new RecipientFormat(Locale.GERMANY, ZoneId.of("Europe/Berlin"));

    private final QuteMessageTemplates templates = new QuteMessageTemplates();

    private static Map<String, Object> data() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", "Red Shoe");
        properties.put("price", new BigDecimal("12.5"));
        properties.put("product", Map.of("sku", "AB-1"));
        properties.put("items", List.of("a", "b"));
        properties.put("coupon", null);
        properties.put("total", 1234.5);
        properties.put("currency", "EUR");
        properties.put("deliveredAt", "2026-03-01T23:30:00Z");
        return Map.of("event", Map.of("name", "Product Added", "properties", properties),
                "profile", Map.of("traits", Map.of("firstName", "Ada")));
    }

    @Test
    void rendersEventPropertiesAndProfileTraits() {
        RenderedMessage message = templates.render(new Action.MessageTemplate(
                "You left {event.properties.name} behind",
                "Hi {profile.traits.firstName}, {event.name}: {event.properties.product.sku} for {event.properties.price.money}"
                        + "{#for item in event.properties.items} {item}{/for}"), data(), NEW_YORK);

        assertThat(message.subject()).isEqualTo("You left Red Shoe behind");
        assertThat(message.body()).isEqualTo("Hi Ada, Product Added: AB-1 for $12.50 a b");
    }

    @Test
    void moneyAndDatesAreShownAsTheRecipientReadsThem() {
        Action.MessageTemplate template = new Action.MessageTemplate(null,
                "{event.properties.total.money} | {event.properties.total.money('EUR')} | "
                        + "{event.properties.total.money(event.properties.currency)} | {event.properties.deliveredAt.date} | "
                        + "{event.properties.deliveredAt.dateTime} | {event.properties.deliveredAt.date('EEEE d MMMM, HH:mm')}");

        assertThat(templates.render(template, data(), NEW_YORK).body()).isEqualTo(
                "$1,234.50 | €1,234.50 | €1,234.50 | Mar 1, 2026 | Mar 1, 2026, 6:30\u202fPM | Sunday 1 March, 18:30");
        assertThat(templates.render(template, data(), BERLIN).body()).isEqualTo(
                "1.234,50\u00a0€ | 1.234,50\u00a0€ | 1.234,50\u00a0€ | 02.03.2026 | 02.03.2026, 00:30 | Montag 2 März, 00:30");
    }

    @Test
    void missingAndNullValuesRenderAsNothing() {
        RenderedMessage message = templates.render(new Action.MessageTemplate(null,
                "[{profile.traits.lastName}][{event.properties.coupon}][{event.properties.nope.deeper}]"), data(), NEW_YORK);

        assertThat(message.subject()).isNull();
        assertThat(message.body()).isEqualTo("[][][]");
    }

    @Test
    void reportsTemplatesThatDoNotParse() {
        assertThat(templates.problemIn("Hi {profile.traits.firstName}")).isEmpty();
        assertThat(templates.problemIn("{#if event.name}unclosed")).isPresent();
        assertThat(templates.problemIn("{#for}{/if}")).isPresent();
    }

    @Test
    void reportsCurrenciesAndDatePatternsThatCannotWork() {
        assertThat(templates.problemIn("{event.properties.total.money('EUR')} {event.properties.at.date('d MMM')}")).isEmpty();
        assertThat(templates.problemIn("{event.properties.total.money(event.properties.currency)}")).isEmpty();
        assertThat(templates.problemIn("Total {event.properties.total.money('EURO')}")).hasValueSatisfying(problem ->
                assertThat(problem).contains("{event.properties.total.money('EURO')}", "ISO 4217"));
        assertThat(templates.problemIn("{#if event.name}{event.properties.at.date('d MMM #')}{/if}")).hasValueSatisfying(problem ->
                assertThat(problem).contains("not a date pattern"));
    }
}
