package io.kairos.trigger.template;

import io.kairos.trigger.domain.Action;
import io.kairos.trigger.domain.RenderedMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QuteMessageTemplatesTest {

    private final QuteMessageTemplates templates = new QuteMessageTemplates();

    private static Map<String, Object> data() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", "Red Shoe");
        properties.put("price", new BigDecimal("12.5"));
        properties.put("product", Map.of("sku", "AB-1"));
        properties.put("items", List.of("a", "b"));
        properties.put("coupon", null);
        return Map.of("event", Map.of("name", "Product Added", "properties", properties),
                "profile", Map.of("traits", Map.of("firstName", "Ada")));
    }

    @Test
    void rendersEventPropertiesAndProfileTraits() {
        RenderedMessage message = templates.render(new Action.MessageTemplate(
                "You left {event.properties.name} behind",
                "Hi {profile.traits.firstName}, {event.name}: {event.properties.product.sku} for {event.properties.price.money}"
                        + "{#for item in event.properties.items} {item}{/for}"), data());

        assertThat(message.subject()).isEqualTo("You left Red Shoe behind");
        assertThat(message.body()).isEqualTo("Hi Ada, Product Added: AB-1 for 12.50 a b");
    }

    @Test
    void missingAndNullValuesRenderAsNothing() {
        RenderedMessage message = templates.render(new Action.MessageTemplate(null,
                "[{profile.traits.lastName}][{event.properties.coupon}][{event.properties.nope.deeper}]"), data());

        assertThat(message.subject()).isNull();
        assertThat(message.body()).isEqualTo("[][][]");
    }

    @Test
    void reportsTemplatesThatDoNotParse() {
        assertThat(templates.problemIn("Hi {profile.traits.firstName}")).isEmpty();
        assertThat(templates.problemIn("{#if event.name}unclosed")).isPresent();
        assertThat(templates.problemIn("{#for}{/if}")).isPresent();
    }
}
