package io.kairos.trigger.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.trigger.domain.Action;
import io.kairos.trigger.domain.ConsentDecision;
import io.kairos.trigger.domain.DeliveryOutcome;
import io.kairos.trigger.domain.DeliveryRecord;
import io.kairos.trigger.domain.Entry;
import io.kairos.trigger.domain.Firing;
import io.kairos.trigger.domain.RenderedMessage;
import io.kairos.trigger.domain.TriggerCause;
import io.kairos.trigger.domain.TriggerDefinition;
import io.kairos.trigger.domain.TriggerDefinitionParser;
import io.kairos.trigger.domain.WebhookPayload;
import io.kairos.trigger.store.DeliveryLog;
import io.kairos.trigger.store.StoredTrigger;
import io.kairos.trigger.store.TriggerStore;
import io.kairos.trigger.stream.ActionPublisher;
import io.kairos.trigger.template.QuteMessageTemplates;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Fires the workspace's triggers on one cause: for every live, active trigger whose entry matches,
 * one firing that is checked against consent, rendered, posted to the webhook (in-app: published on
 * kairos.actions) and logged, in that order. The returned Uni completes only once every firing's
 * outcome is in the delivery log, so the Kafka offset is committed after the log; it fails (and
 * nothing is logged sent) when consent cannot be asked or kairos.actions does not take a firing.
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

    public FiringDispatcher(TriggerStore triggers, DeliveryLog deliveries, ConsentGate consent, WebhookSender webhooks,
                            ActionPublisher actions, QuteMessageTemplates templates, TriggerDefinitionParser parser,
                            ObjectMapper json, Clock clock, MeterRegistry metrics) {
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
        return triggers.activeFor(workspace, entryKind, entryKey)
                .onItem().transformToMulti(Multi.createFrom()::iterable)
                .onItem().transformToUniAndConcatenate(stored -> {
                    TriggerDefinition definition = definitionOf(stored);
                    if (definition == null || !definition.firesOn(cause, now)) {
                        return Uni.createFrom().voidItem();
                    }
                    return fire(Firing.of(stored.id(), workspace, profileId, cause, now), definition.action(),
                            profileTraits);
                })
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> fire(Firing firing, Action action, Map<String, Object> profileTraits) {
        return deliveries.outcomeOf(firing.firingId()).flatMap(prior -> {
            if (prior != null && prior.isFinal()) {
                LOG.debugf("firing %s was already %s; redelivery ignored", firing.firingId(), prior.wireName());
                return Uni.createFrom().voidItem();
            }
            return consent.check(firing.workspace(), firing.profileId(), action.purpose(), action.channel(),
                            firing.firedAt())
                    .flatMap(decision -> decision instanceof ConsentDecision.Allow
                            ? send(firing, action, profileTraits)
                            : record(DeliveryRecord.skipped(firing, action.channel(),
                                    DeliveryRecord.consentReason(decision, action.purpose(), action.channel()))));
        });
    }

    private Uni<Void> send(Firing firing, Action action, Map<String, Object> profileTraits) {
        byte[] body;
        try {
            RenderedMessage message = templates.render(action.template(),
                    WebhookPayload.templateData(firing, profileTraits));
            body = json.writeValueAsBytes(action.channel().publishedAsAction()
                    ? WebhookPayload.message(message)
                    : WebhookPayload.of(firing, action.channel(), message, profileTraits));
        } catch (RuntimeException | JsonProcessingException e) {
            return record(DeliveryRecord.of(firing, action.channel(), DeliveryOutcome.FAILED,
                    "template: " + e.getMessage(), 0, null));
        }
        if (action.channel().publishedAsAction()) {
            // A publication Kafka did not acknowledge fails the whole message, which is then retried:
            // only an acknowledged one is logged sent.
            return actions.publish(firing, action.channel(), body)
                    .flatMap(ignored -> record(DeliveryRecord.of(firing, action.channel(), DeliveryOutcome.SENT,
                            null, 1, null)));
        }
        return webhooks.send(action.webhook(), firing.firingId().toString(), body)
                .flatMap(result -> record(DeliveryRecord.of(firing, action.channel(),
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

    /** Definitions were valid when saved; one that no longer parses is skipped loudly rather than stall the stream. */
    private TriggerDefinition definitionOf(StoredTrigger stored) {
        try {
            return parser.parse(json.readValue(stored.definitionJson(), Object.class));
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.errorf("trigger %s v%d does not parse any more and cannot fire: %s", stored.id(), stored.version(),
                    e.getMessage());
            return null;
        }
    }
}
