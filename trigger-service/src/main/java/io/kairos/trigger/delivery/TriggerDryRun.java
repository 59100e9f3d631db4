package io.kairos.trigger.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.trigger.domain.ConsentDecision;
import io.kairos.trigger.domain.DeliveryRecord;
import io.kairos.trigger.domain.DryRunReport;
import io.kairos.trigger.domain.DryRunReport.Check;
import io.kairos.trigger.domain.Entry;
import io.kairos.trigger.domain.Firing;
import io.kairos.trigger.domain.RecipientFormat;
import io.kairos.trigger.domain.RenderedMessage;
import io.kairos.trigger.domain.TriggerCause;
import io.kairos.trigger.domain.TriggerDefinition;
import io.kairos.trigger.domain.TriggerDefinitionParser;
import io.kairos.trigger.domain.TriggerStatus;
import io.kairos.trigger.domain.WebhookPayload;
import io.kairos.trigger.store.TriggerEntity;
import io.kairos.trigger.template.QuteMessageTemplates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * "What would this trigger do for profile P right now, and why": the firing a cause now would
 * start, taken through every check the dispatcher makes (re-entry, wait, audience, caps, consent and
 * quiet hours, template) without sending, holding or logging anything. The traits are the profile's
 * as profile-service has them now.
 */
@ApplicationScoped
public class TriggerDryRun {

    /** A trigger or profile the dry run was asked about does not exist; {@code reason} says which. */
    public static final class NotFound extends RuntimeException {
        private final String reason;

        NotFound(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final SendChecks checks;
    private final ConsentGate consent;
    private final ProfileTraits profiles;
    private final QuteMessageTemplates templates;
    private final TriggerDefinitionParser parser;
    private final ObjectMapper json;
    private final Clock clock;

    public TriggerDryRun(SendChecks checks, ConsentGate consent, ProfileTraits profiles, QuteMessageTemplates templates,
                         TriggerDefinitionParser parser, ObjectMapper json, Clock clock) {
        this.checks = checks;
        this.consent = consent;
        this.profiles = profiles;
        this.templates = templates;
        this.parser = parser;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param trigger the live trigger, null when there is none
     * @param event   for an event trigger, the entry event ({@code event}, {@code properties}, {@code context});
     *                null for the trigger's own event without properties
     */
    public Uni<DryRunReport> run(TriggerEntity trigger, String triggerId, String profileId, Map<String, Object> event) {
        if (trigger == null) {
            return Uni.createFrom().failure(new NotFound("TRIGGER_NOT_FOUND", "no trigger " + triggerId));
        }
        TriggerDefinition definition = definition(trigger);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        TriggerCause cause = cause(definition.when(), event, now);
        Firing firing = Firing.of(trigger.id, trigger.workspace, profileId, cause, now);
        return profiles.of(trigger.workspace, profileId).chain(traits -> {
            if (traits.isEmpty()) {
                return Uni.createFrom().failure(new NotFound("PROFILE_NOT_FOUND", "no profile " + profileId));
            }
            return report(trigger, definition, firing, traits.get());
        });
    }

    private Uni<DryRunReport> report(TriggerEntity trigger, TriggerDefinition definition, Firing firing,
                                     Map<String, Object> traits) {
        List<Check> steps = new ArrayList<>();
        steps.add(TriggerStatus.ACTIVE.wireName().equals(trigger.status)
                ? Check.pass(Check.STATUS, "active")
                : Check.fail(Check.STATUS, "the trigger is paused: it fires for nothing until resumed"));
        steps.add(definition.firesOn(firing.cause(), firing.firedAt())
                ? Check.pass(Check.ENTRY, "the entry matches " + describe(definition.when()))
                : Check.fail(Check.ENTRY, "the event does not match " + describe(definition.when())));
        return checks.reentryRefused(definition, firing)
                .invoke(refused -> steps.add(refused ? Check.fail(Check.REENTRY, definition.reentry().refusal())
                        : Check.pass(Check.REENTRY, "the re-entry policy lets the profile in")))
                .chain(() -> checks.recipient(firing, traits))
                .invoke(recipient -> {
                    if (definition.waits()) {
                        Instant due = definition.dueAfter(firing.firedAt(), recipient.zone());
                        steps.add(new Check(Check.WAIT, DryRunReport.Verdict.WAIT, "the firing would wait until " + due
                                + definition.unless().map(unless -> "; \"" + unless.event() + "\" before then cancels it")
                                .orElse("") + "; the checks after this one are as of now and are asked again then", due));
                    }
                })
                .chain(recipient -> checks.outsideAudience(firing, definition)
                        .invoke(outside -> steps.add(outside.map(why -> Check.fail(Check.AUDIENCE, why))
                                .orElseGet(() -> Check.pass(Check.AUDIENCE, definition.audience()
                                        .map(audience -> "a member of segment " + audience.segmentId())
                                        .orElse("the trigger has no audience")))))
                        .chain(() -> checks.capReached(firing, definition, traits))
                        .invoke(cap -> steps.add(cap.map(reached -> Check.fail(Check.FREQUENCY_CAP, reached.refusal()))
                                .orElseGet(() -> Check.pass(Check.FREQUENCY_CAP, "no cap reached"))))
                        .chain(() -> consent.check(firing.workspace(), firing.profileId(), definition.action().purpose(),
                                definition.action().channel(), firing.firedAt(), FiringDispatcher.eventTimezone(firing.cause()),
                                definition.respectQuietHours()))
                        .map(decision -> {
                            steps.add(consentStep(decision, definition));
                            Optional<RenderedMessage> message = render(definition, firing, traits, recipient, steps);
                            return DryRunReport.of(steps, definition.action().channel(), message, firing.firedAt());
                        }));
    }

    private static Check consentStep(ConsentDecision decision, TriggerDefinition definition) {
        String purpose = definition.action().purpose();
        return switch (decision) {
            case ConsentDecision.Allow ignored -> Check.pass(Check.CONSENT, "allowed (" + purpose + "/"
                    + definition.action().channel().consentChannel() + ")");
            case ConsentDecision.Defer defer -> new Check(Check.CONSENT, DryRunReport.Verdict.DEFER,
                    DeliveryRecord.consentReason(decision, purpose, definition.action().channel()), defer.until());
            case ConsentDecision.Deny ignored -> Check.fail(Check.CONSENT,
                    DeliveryRecord.consentReason(decision, purpose, definition.action().channel()));
            case ConsentDecision.Rejected ignored -> Check.fail(Check.CONSENT,
                    DeliveryRecord.consentReason(decision, purpose, definition.action().channel()));
        };
    }

    private Optional<RenderedMessage> render(TriggerDefinition definition, Firing firing, Map<String, Object> traits,
                                             RecipientFormat recipient, List<Check> steps) {
        try {
            RenderedMessage message = templates.render(definition.action().template(),
                    WebhookPayload.templateData(firing, traits), recipient);
            steps.add(Check.pass(Check.TEMPLATE, "rendered in " + recipient.locale().toLanguageTag() + ", "
                    + recipient.zone().getId()));
            return Optional.of(message);
        } catch (RuntimeException e) {
            steps.add(Check.fail(Check.TEMPLATE, "template: " + e.getMessage()));
            return Optional.empty();
        }
    }

    /** The cause a dry run assumes: the given event, the trigger's own event, or the trigger's transition. */
    @SuppressWarnings("unchecked")
    private static TriggerCause cause(Entry when, Map<String, Object> event, Instant now) {
        String dryRunId = "dry-run-" + UUID.randomUUID();
        return switch (when) {
            case Entry.OnEvent onEvent -> {
                String name = event != null && event.get("event") instanceof String given ? given : onEvent.event();
                Map<String, Object> properties = event != null && event.get("properties") instanceof Map<?, ?> p
                        ? (Map<String, Object>) p : Map.of();
                Map<String, Object> context = event != null && event.get("context") instanceof Map<?, ?> c
                        ? (Map<String, Object>) c : Map.of();
                String channel = context.get("channel") instanceof String given ? given : "";
                yield new TriggerCause.ObservedEvent(dryRunId, "track", name, channel, now, properties, context);
            }
            case Entry.OnSegmentEntered entered ->
                    new TriggerCause.MembershipTransition(dryRunId, entered.segmentId(), 0, true, "dry run", "", now);
            case Entry.OnSegmentExited exited ->
                    new TriggerCause.MembershipTransition(dryRunId, exited.segmentId(), 0, false, "dry run", "", now);
        };
    }

    private static String describe(Entry when) {
        return switch (when) {
            case Entry.OnEvent onEvent -> "the event \"" + onEvent.event() + "\""
                    + (onEvent.where().isEmpty() ? "" : " with its " + onEvent.where().size() + " filter(s)");
            case Entry.OnSegmentEntered entered -> "entering segment " + entered.segmentId();
            case Entry.OnSegmentExited exited -> "leaving segment " + exited.segmentId();
        };
    }

    private TriggerDefinition definition(TriggerEntity trigger) {
        try {
            return parser.parse(json.readValue(trigger.definitionJson, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored definition of trigger " + trigger.id + " is not JSON", e);
        }
    }
}
