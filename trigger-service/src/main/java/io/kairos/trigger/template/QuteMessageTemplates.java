package io.kairos.trigger.template;

import io.kairos.trigger.domain.Action;
import io.kairos.trigger.domain.RenderedMessage;
import io.kairos.trigger.domain.TemplateSyntax;
import io.quarkus.qute.Engine;
import io.quarkus.qute.ResultMapper;
import io.quarkus.qute.Results;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.ValueResolver;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * Message templates in Qute syntax ({@code "You left {event.properties.name} behind"}).
 * A dedicated engine, not the application's: templates are written by workspace users, so they
 * get only the default resolvers over plain maps and lists (no reflection into Java objects),
 * and a missing value renders as nothing, as in Braze or Segment, instead of failing the send.
 */
@ApplicationScoped
public class QuteMessageTemplates implements TemplateSyntax {

    /** {@code {event.properties.price.money}}: a number with two decimals (12.5 -> "12.50"). */
    private static final ValueResolver MONEY = ValueResolver.builder()
            .applyToName("money")
            .appliesTo(context -> decimal(context.getBase()) != null)
            .resolveSync(context -> decimal(context.getBase()).setScale(2, RoundingMode.HALF_EVEN).toPlainString())
            .build();

    private static final ResultMapper MISSING_AS_EMPTY = new ResultMapper() {
        @Override
        public boolean appliesTo(io.quarkus.qute.TemplateNode.Origin origin, Object result) {
            return Results.isNotFound(result);
        }

        @Override
        public String map(Object result, io.quarkus.qute.Expression expression) {
            return "";
        }
    };

    private final Engine engine = Engine.builder()
            .addDefaults()
            .addValueResolver(MONEY)
            .addResultMapper(MISSING_AS_EMPTY)
            .strictRendering(false)
            .build();

    @Override
    public Optional<String> problemIn(String source) {
        try {
            engine.parse(source);
            return Optional.empty();
        } catch (TemplateException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** @param data the template's top-level names ({@code event}, {@code profile}) */
    public RenderedMessage render(Action.MessageTemplate template, Map<String, Object> data) {
        String subject = template.subject() == null ? null : render(template.subject(), data);
        return new RenderedMessage(subject, render(template.body(), data));
    }

    private String render(String source, Map<String, Object> data) {
        var instance = engine.parse(source).instance();
        data.forEach(instance::data);
        return instance.render();
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        if (value instanceof String text) {
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
