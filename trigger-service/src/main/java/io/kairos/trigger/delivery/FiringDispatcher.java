package io.kairos.trigger.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.trigger.domain.Action;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.ChannelProvider;
import io.kairos.trigger.domain.ConsentDecision;
import io.kairos.trigger.domain.DeliveryOutcome;
import io.kairos.trigger.domain.DeliveryRecord;
import io.kairos.trigger.domain.Entry;
import io.kairos.trigger.domain.Firing;
import io.kairos.trigger.domain.PendingFiring;
import io.kairos.trigger.domain.ProviderMessage;
import io.kairos.trigger.domain.RecipientFormat;
import io.kairos.trigger.domain.RenderedMessage;
import io.kairos.trigger.domain.TriggerCause;
import io.kairos.trigger.domain.TriggerDefinition;
import io.kairos.trigger.domain.TriggerDefinitionParser;
import io.kairos.trigger.domain.WebhookPayload;
import io.kairos.trigger.store.ChannelProviderStore;
import io.kairos.trigger.store.DeliveryLog;
import io.kairos.trigger.store.PendingFirings;
import io.kairos.trigger.store.StoredTrigger;
import io.kairos.trigger.store.TriggerStore;
import io.kairos.trigger.stream.ActionPublisher;
import io.kairos.trigger.stream.TopicPublisher;
import io.kairos.trigger.stream.WebhookDeadLetters;
import io.kairos.trigger.template.QuteMessageTemplates;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.function.Function;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fires the workspace's triggers on one cause: for every live, active trigger whose entry matches,
 * one firing that is checked against consent, rendered, posted to the webhook (in-app: published on
 * kairos.actions) and logged, in that order. A trigger with a delay or an unless window makes the
 * firing wait instead (stored; {@link DueFirings} fires it when due), an event first cancels the
 * profile's waits it is the unless of, and quiet hours (DEFER) make a firing wait until they end.
 * The returned Uni completes only once every firing's outcome or wait is stored, so the Kafka offset
 * is committed after it; it fails (and nothing is logged sent) when consent cannot be asked or
 * kairos.actions does not take a firing.
 */
@ApplicationScoped
public class FiringDispatcher {

    private static final Logger LOG = Logger.getLogger(FiringDispatcher.class);

    private final TriggerStore triggers;
    private final DeliveryLog deliveries;
    private final ConsentGate consent;
    private final WebhookSender webhooks;
    private final ActionPublisher actions;
    private final QuteMessageTemplates templates;
    private final TriggerDefinitionParser parser;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final PendingFirings pending;
    private final SendChecks checks;
    private final ChannelProviderStore providers;
    private final Cache<String, TriggerDefinition> parsed = Caffeine.newBuilder().maximumSize(10_000).build();
    private final WebhookDeadLetters deadLetters;
    private final TopicPublisher topics;

    public FiringDispatcher(TriggerStore triggers, DeliveryLog deliveries, ConsentGate consent, WebhookSender webhooks,
                            ActionPublisher actions, QuteMessageTemplates templates, TriggerDefinitionParser parser,
                            ObjectMapper json, Clock clock, MeterRegistry metrics, PendingFirings pending,
                            SendChecks checks, ChannelProviderStore providers, WebhookDeadLetters deadLetters,
                            TopicPublisher topics) {
        this.triggers = triggers;
        this.deliveries = deliveries;
        this.consent = consent;
        this.webhooks = webhooks;
        this.actions = actions;
        this.templates = templates;
        this.parser = parser;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.pending = pending;
        this.checks = checks;
        this.providers = providers;
        this.deadLetters = deadLetters;
        this.topics = topics;
    }

    public Uni<Void> dispatch(String workspace, String profileId, TriggerCause cause,
                              Map<String, Object> profileTraits) {
        Instant now = clock.instant();
        String entryKind = switch (cause) {
            case TriggerCause.ObservedEvent ignored -> Entry.EVENT;
            case TriggerCause.MembershipTransition t -> t.entered() ? Entry.SEGMENT_ENTERED : Entry.SEGMENT_EXITED;
        };
        String entryKey = switch (cause) {
            case TriggerCause.ObservedEvent event -> event.name();
            case TriggerCause.MembershipTransition transition -> transition.segmentId();
        };
        Uni<Void> cancellations = switch (cause) {
            case TriggerCause.ObservedEvent event -> pending.cancellableBy(workspace, profileId, event.name())
                    .chain(waits -> cancel(waits.stream().filter(wait -> wait.cancelledBy(event.name(), now)).toList(), now,
                            wait -> wait.cancellationReason(event.name())));
            case TriggerCause.MembershipTransition transition when !transition.entered() ->
                    pending.cancellableByLeaving(workspace, profileId, transition.segmentId())
                            .chain(waits -> cancel(waits, now, wait -> "cancelled: left the audience " + transition.segmentId()));
            case TriggerCause.MembershipTransition ignored -> Uni.createFrom().voidItem();
        };
        return cancellations.chain(() -> triggers.activeFor(workspace, entryKind, entryKey))
                .onItem().transformToMulti(Multi.createFrom()::iterable)
                .onItem().transformToUniAndConcatenate(stored -> {
                    TriggerDefinition definition = definitionOf(stored);
                    if (definition == null || !definition.firesOn(cause, now)) {
                        return Uni.createFrom().voidItem();
                    }
                    Firing firing = Firing.of(stored.id(), workspace, profileId, cause, now);
                    return checks.reentryRefused(definition, firing).chain(refused -> {
                        if (refused) {
                            return record(DeliveryRecord.skipped(firing, definition.action().channel(),
                                    definition.reentry().refusal()));
                        }
                        return definition.waits()
                                ? waitZone(definition, firing, profileTraits).chain(zone ->
                                        pending.hold(PendingFiring.waitFor(definition, firing, profileTraits, zone)))
                                : fire(firing, definition, profileTraits);
                    });
                })
                .collect().last()
                .replaceWithVoid();
    }

    /**
     * A due firing, claimed from the waiting ones and known not to have gone out yet: it goes out
     * under its trigger as it is now (a trigger paused or deleted meanwhile sends nothing). Its claimer
     * then releases it, unless it was deferred again. A failure (consent-service unreachable) keeps it
     * claimed until the lease ends, when it is tried again.
     */
    public Uni<Void> fireDue(PendingFirings.Claimed claimed, TriggerStore.TriggerState trigger) {
        PendingFiring due = claimed.pending();
        Firing firing = due.firingAt(clock.instant());
        Uni<Void> outcome;
        TriggerDefinition definition = trigger == null ? null : definitionOf(trigger.trigger());
        if (trigger == null || trigger.life() == TriggerStore.TriggerState.Life.DELETED || definition == null) {
            outcome = record(DeliveryRecord.skipped(firing, due.channel(), "trigger deleted while the firing waited"));
        } else if (trigger.life() == TriggerStore.TriggerState.Life.PAUSED) {
            outcome = record(DeliveryRecord.skipped(firing, due.channel(), "trigger paused while the firing waited"));
        } else {
            outcome = goOut(firing, definition, due.traits());
        }
        return outcome;
    }

    /** The recipient's zone when the trigger waits for a local time of day (UTC, unused, otherwise). */
    private Uni<ZoneId> waitZone(TriggerDefinition definition, Firing firing, Map<String, Object> traits) {
        return definition.at().isEmpty() ? Uni.createFrom().item(ZoneOffset.UTC)
                : checks.recipient(firing, traits).map(RecipientFormat::zone);
    }

    /** These waits end, each logged skipped with its reason; one a claimer holds already goes out instead. */
    private Uni<Void> cancel(List<PendingFiring> cancelling, Instant now, Function<PendingFiring, String> reason) {
        if (cancelling.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pending.cancel(cancelling.stream().map(wait -> wait.firing().firingId()).toList(), now)
                .chain(cancelled -> Multi.createFrom().iterable(cancelling)
                        .filter(wait -> cancelled.contains(wait.firing().firingId()))
                        .onItem().transformToUniAndConcatenate(wait -> record(DeliveryRecord.skipped(
                                wait.firingAt(now), wait.channel(), reason.apply(wait))))
                        .collect().last()
                        .replaceWithVoid());
    }

    private Uni<Void> fire(Firing firing, TriggerDefinition trigger, Map<String, Object> profileTraits) {
        return deliveries.outcomeOf(firing.firingId()).flatMap(prior -> {
            if (prior != null && prior.isFinal()) {
                LOG.debugf("firing %s was already %s; redelivery ignored", firing.firingId(), prior.wireName());
                return Uni.createFrom().voidItem();
            }
            return goOut(firing, trigger, profileTraits);
        });
    }

    /** A firing that has not gone out yet: audience, caps, consent and quiet hours, then the send. */
    private Uni<Void> goOut(Firing firing, TriggerDefinition trigger, Map<String, Object> profileTraits) {
        Action action = trigger.action();
        return checks.outsideAudience(firing, trigger).flatMap(outside -> outside.isPresent()
                ? record(DeliveryRecord.skipped(firing, action.channel(), outside.get()))
                : checks.capReached(firing, trigger, profileTraits).flatMap(cap -> cap.isPresent()
                        ? record(DeliveryRecord.skipped(firing, action.channel(), cap.get().refusal()))
                        : checkConsentAndSend(firing, trigger, profileTraits)));
    }

    private Uni<Void> checkConsentAndSend(Firing firing, TriggerDefinition trigger, Map<String, Object> profileTraits) {
        Action action = trigger.action();
        return consent.check(firing.workspace(), firing.profileId(), action.purpose(), action.channel(),
                        firing.firedAt(), eventTimezone(firing.cause()), trigger.respectQuietHours())
                .flatMap(decision -> switch (decision) {
                    case ConsentDecision.Allow ignored -> send(firing, action, profileTraits);
                    // Quiet hours: the firing waits for the next allowed instant, then asks again.
                    case ConsentDecision.Defer defer -> pending.defer(PendingFiring.deferred(trigger, firing,
                                    profileTraits, defer.until()))
                            .chain(() -> record(DeliveryRecord.deferred(firing, action.channel(),
                                    DeliveryRecord.consentReason(decision, action.purpose(), action.channel()))));
                    case ConsentDecision.Deny ignored -> record(DeliveryRecord.skipped(firing, action.channel(),
                            DeliveryRecord.consentReason(decision, action.purpose(), action.channel())));
                    case ConsentDecision.Rejected ignored -> record(DeliveryRecord.skipped(firing, action.channel(),
                            DeliveryRecord.consentReason(decision, action.purpose(), action.channel())));
                });
    }

    /** The event's own time zone ({@code context.timezone}), which consent-service uses when the profile has none. */
    static String eventTimezone(TriggerCause cause) {
        return SendChecks.eventContext(cause).get("timezone") instanceof String zone ? zone : "";
    }

    private Uni<Void> send(Firing firing, Action action, Map<String, Object> profileTraits) {
        return checks.recipient(firing, profileTraits).chain(recipient -> send(firing, action, profileTraits, recipient));
    }

    private Uni<Void> send(Firing firing, Action action, Map<String, Object> profileTraits, RecipientFormat recipient) {
        RenderedMessage message;
        byte[] body;
        try {
            message = templates.render(action.template(), WebhookPayload.templateData(firing, profileTraits), recipient);
            body = json.writeValueAsBytes(action.channel().publishedAsAction()
                    ? WebhookPayload.message(message)
                    : WebhookPayload.of(firing, action.channel(), message, profileTraits));
        } catch (RuntimeException | JsonProcessingException e) {
            return record(DeliveryRecord.of(firing, action, DeliveryOutcome.FAILED,
                    "template: " + e.getMessage(), 0, null));
        }
        if (action.channel() == Channel.KAFKA) {
            return topics.publish(action.kafkaTopic(), firing, body)
                    .flatMap(ignored -> record(DeliveryRecord.of(firing, action, DeliveryOutcome.SENT, null, 1, null)));
        }
        if (action.channel().publishedAsAction()) {
            // A publication Kafka did not acknowledge fails the whole message, which is then retried:
            // only an acknowledged one is logged sent.
            return actions.publish(firing, action.channel(), body)
                    .flatMap(ignored -> record(DeliveryRecord.of(firing, action, DeliveryOutcome.SENT,
                            null, 1, null)));
        }
        if (action.webhook() == null) {
            return providers.of(firing.workspace(), action.channel())
                    .chain(provider -> sendThrough(provider.orElse(null), firing, action, message, profileTraits));
        }
        return post(firing, action, WebhookSender.signed(action.webhook(), firing.firingId().toString(), body));
    }

    /** An email, sms or push action without a webhook of its own goes through the workspace's provider. */
    private Uni<Void> sendThrough(ChannelProvider provider, Firing firing, Action action, RenderedMessage message,
                                  Map<String, Object> traits) {
        if (provider == null) {
            return record(DeliveryRecord.of(firing, action, DeliveryOutcome.FAILED, "provider: the workspace has no "
                    + action.channel().wireName() + " provider and the action no webhook", 0, null));
        }
        String address = ProviderMessage.address(provider, traits);
        if (address == null) {
            return record(DeliveryRecord.skipped(firing, action.channel(), "no address: the profile has no "
                    + provider.addressTrait() + " trait"));
        }
        ProviderMessage request = ProviderMessage.of(provider, firing, message, address);
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        byte[] body;
        if (request.form() != null) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            body = FormEncoding.encode(request.form());
        } else {
            headers.put("Content-Type", "application/json");
            try {
                body = json.writeValueAsBytes(request.json());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a provider message always serialises", e);
            }
        }
        return post(firing, action, new WebhookSender.Outbound(request.url(), headers, body));
    }

    /** A POST's outcome, logged; after its last failed try the request goes to the dead-letter topic. */
    private Uni<Void> post(Firing firing, Action action, WebhookSender.Outbound request) {
        return webhooks.send(request, firing.firingId().toString())
                .call(result -> result.accepted() ? Uni.createFrom().voidItem()
                        : deadLetters.publish(firing, action.channel(), request.url(), request.body(), result.problem()))
                .flatMap(result -> record(DeliveryRecord.of(firing, action,
                        result.accepted() ? DeliveryOutcome.SENT : DeliveryOutcome.FAILED,
                        result.problem(), result.attempts(), result.status())));
    }

    private Uni<Void> record(DeliveryRecord delivery) {
        return deliveries.record(delivery).invoke(() -> {
            metrics.counter("kairos.trigger.deliveries", "outcome", delivery.outcome().wireName()).increment();
            LOG.infof("firing %s of trigger %s for %s/%s: %s%s", delivery.firingId(), delivery.triggerId(),
                    delivery.workspace(), delivery.profileId(), delivery.outcome().wireName(),
                    delivery.reason() == null ? "" : " (" + delivery.reason() + ")");
        });
    }

    /**
     * Definitions were valid when saved; one that no longer parses is skipped loudly rather than stall
     * the stream. A version never changes, so each is parsed (and its templates checked) once, not per firing.
     */
    private TriggerDefinition definitionOf(StoredTrigger stored) {
        return parsed.get(stored.id() + "/" + stored.version(), key -> {
            try {
                return parser.parse(json.readValue(stored.definitionJson(), Object.class));
            } catch (RuntimeException | JsonProcessingException e) {
                LOG.errorf("trigger %s v%d does not parse any more and cannot fire: %s", stored.id(), stored.version(),
                        e.getMessage());
                return null;
            }
        });
    }
}
