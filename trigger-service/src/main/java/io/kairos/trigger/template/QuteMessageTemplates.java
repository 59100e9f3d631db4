package io.kairos.trigger.template;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kairos.trigger.domain.Action;
import io.kairos.trigger.domain.RenderedMessage;
import io.kairos.trigger.domain.TemplateSyntax;
import io.kairos.trigger.domain.RecipientFormat;
import io.quarkus.qute.Engine;
import io.quarkus.qute.EvalContext;
import io.quarkus.qute.Expression;
import io.quarkus.qute.Template;
import io.quarkus.qute.ResultMapper;
import io.quarkus.qute.Results;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.ValueResolver;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Optional;

/**
 * Message templates in Qute syntax ({@code "You left {event.properties.name} behind"}).
 * A dedicated engine, not the application's: templates are written by workspace users, so they
 * get only the default resolvers over plain maps and lists (no reflection into Java objects),
 * and a missing value renders as nothing, as in Braze or Segment, instead of failing the send.
 * Money and dates are shown as the recipient reads them ({@link RecipientFormat}):
 * {@code {x.money}} in the locale's currency, {@code {x.money('EUR')}} or
 * {@code {x.money(event.properties.currency)}} in another; {@code {x.date}}, {@code {x.dateTime}}
 * and {@code {x.date('EEEE d MMMM')}} on the recipient's local clock.
 */
@ApplicationScoped
public class QuteMessageTemplates implements TemplateSyntax {

    /** The template instance attribute that carries the recipient's {@link RecipientFormat}. */
    private static final String RECIPIENT = "recipient";

    private static final RecipientFormat NOBODY_IN_PARTICULAR = new RecipientFormat(RecipientFormat.DEFAULT_LOCALE, ZoneOffset.UTC);

    private static final ValueResolver MONEY = ValueResolver.builder()
            .applyToName("money")
            .appliesTo(context -> context.getParams().size() <= 1 && decimal(context.getBase()) != null)
            .resolveAsync(context -> {
                BigDecimal amount = decimal(context.getBase());
                if (context.getParams().isEmpty()) {
                    return CompletableFuture.completedFuture(recipient(context).money(amount, null));
                }
                return context.evaluate(context.getParams().getFirst()).thenApply(currency ->
                        recipient(context).money(amount, currency == null ? null : currency.toString().trim()));
            })
            .build();

    private static final ValueResolver DATES = ValueResolver.builder()
            .appliesTo(context -> RecipientFormat.instant(context.getBase()) != null
                    && ((context.getName().equals("date") && context.getParams().size() <= 1)
                    || (context.getName().equals("dateTime") && context.getParams().isEmpty())))
            .resolveAsync(context -> {
                Instant instant = RecipientFormat.instant(context.getBase());
                RecipientFormat recipient = recipient(context);
                if (context.getName().equals("dateTime")) {
                    return CompletableFuture.completedFuture(recipient.dateTime(instant));
                }
                if (context.getParams().isEmpty()) {
                    return CompletableFuture.completedFuture(recipient.date(instant));
                }
                return context.evaluate(context.getParams().getFirst())
                        .thenApply(pattern -> recipient.formatted(instant, String.valueOf(pattern)));
            })
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
            .addValueResolver(DATES)
            .addResultMapper(MISSING_AS_EMPTY)
            .strictRendering(false)
            .build();

    /** Templates by source: a trigger's templates are parsed once, not on every firing. */
    private final Cache<String, Template> parsed = Caffeine.newBuilder().maximumSize(10_000).build();

    /** Syntax, and the literal currencies and date patterns it names, so a typo fails the save rather than the send. */
    @Override
    public Optional<String> problemIn(String source) {
        Template template;
        try {
            template = engine.parse(source);
        } catch (TemplateException e) {
            return Optional.of(e.getMessage());
        }
        for (Expression expression : template.getExpressions()) {
            for (Expression.Part part : expression.getParts()) {
                if (!part.isVirtualMethod() || part.asVirtualMethod().getParameters().size() != 1) {
                    continue;
                }
                Expression parameter = part.asVirtualMethod().getParameters().getFirst();
                if (!parameter.isLiteral() || !(parameter.getLiteral() instanceof String literal)) {
                    continue;
                }
                Optional<String> problem = switch (part.getName()) {
                    case "money" -> RecipientFormat.currencyProblem(literal);
                    case "date" -> RecipientFormat.patternProblem(literal);
                    default -> Optional.empty();
                };
                if (problem.isPresent()) {
                    return Optional.of("{" + expression.toOriginalString() + "}: " + problem.get());
                }
            }
        }
        return Optional.empty();
    }

    /** @param data the template's top-level names ({@code event}, {@code profile}) */
    public RenderedMessage render(Action.MessageTemplate template, Map<String, Object> data, RecipientFormat recipient) {
        String subject = template.subject() == null ? null : render(template.subject(), data, recipient);
        return new RenderedMessage(subject, render(template.body(), data, recipient));
    }

    private String render(String source, Map<String, Object> data, RecipientFormat recipient) {
        var instance = parsed.get(source, engine::parse).instance();
        data.forEach(instance::data);
        instance.setAttribute(RECIPIENT, recipient);
        return instance.render();
    }

    private static RecipientFormat recipient(EvalContext context) {
        return context.getAttribute(RECIPIENT) instanceof RecipientFormat recipient ? recipient : NOBODY_IN_PARTICULAR;
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
