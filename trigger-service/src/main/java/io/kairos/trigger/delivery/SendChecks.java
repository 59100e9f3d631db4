package io.kairos.trigger.delivery;

import io.kairos.trigger.domain.Action;
import io.kairos.trigger.domain.Firing;
import io.kairos.trigger.domain.FrequencyCap;
import io.kairos.trigger.domain.RecipientFormat;
import io.kairos.trigger.domain.TriggerCause;
import io.kairos.trigger.domain.TriggerDefinition;
import io.kairos.trigger.store.DeliveryLog;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The questions a firing is asked before it goes out that Kairos answers itself: may the profile
 * enter again, is it in the audience, would a frequency cap be broken, and whose clock and language
 * the message follows. The dispatcher acts on the answers; a dry run reports them.
 */
@ApplicationScoped
public class SendChecks {

    private final DeliveryLog deliveries;
    private final WorkspaceRules rules;
    private final SegmentAudience audiences;

    public SendChecks(DeliveryLog deliveries, WorkspaceRules rules, SegmentAudience audiences) {
        this.deliveries = deliveries;
        this.rules = rules;
        this.audiences = audiences;
    }

    /**
     * Does the trigger's re-entry policy keep this entry out? A wait that restarts on each entry is
     * the same entry again, so only firings that went out count then.
     */
    public Uni<Boolean> reentryRefused(TriggerDefinition definition, Firing entry) {
        boolean restarts = definition.unless().map(TriggerDefinition.Unless::restartOnEntry).orElse(false);
        return definition.reentry().blockingSince(entry.firedAt())
                .map(since -> deliveries.entered(entry.workspace(), entry.triggerId(), entry.profileId(), since, !restarts))
                .orElseGet(() -> Uni.createFrom().item(false));
    }

    /** Why the profile is not in the trigger's audience now, when it is not. */
    public Uni<Optional<String>> outsideAudience(Firing firing, TriggerDefinition trigger) {
        return trigger.audience()
                .map(audience -> audiences.isMember(firing.workspace(), firing.profileId(), audience.segmentId())
                        .map(member -> member ? Optional.<String>empty()
                                : Optional.of("audience: not a member of segment " + audience.segmentId())))
                .orElseGet(() -> Uni.createFrom().item(Optional.empty()));
    }

    /**
     * The first frequency cap this firing would break: the trigger's own, then the workspace's on its
     * channel (and purpose). Calendar days are the recipient's.
     */
    public Uni<Optional<FrequencyCap>> capReached(Firing firing, TriggerDefinition trigger, Map<String, Object> traits) {
        Action action = trigger.action();
        return rules.of(firing.workspace()).chain(workspace -> {
            List<FrequencyCap> caps = new ArrayList<>();
            trigger.frequencyCap().ifPresent(caps::add);
            workspace.caps().stream().filter(cap -> cap.scope() instanceof FrequencyCap.Scope.OnChannel on
                    && on.channel() == action.channel() && on.purpose().map(action.purpose()::equals).orElse(true))
                    .forEach(caps::add);
            ZoneId zone = RecipientFormat.zone(traits, eventContext(firing.cause())).orElse(workspace.defaultZone());
            return Multi.createFrom().iterable(caps)
                    .onItem().transformToUniAndConcatenate(cap -> deliveries.sentSince(firing.workspace(), firing.profileId(),
                                    cap.countsFrom(firing.firedAt(), zone),
                                    cap.scope() instanceof FrequencyCap.Scope.OwnTrigger ? Optional.of(firing.triggerId()) : Optional.empty(),
                                    cap.scope() instanceof FrequencyCap.Scope.OnChannel on ? Optional.of(on.channel()) : Optional.empty(),
                                    cap.scope() instanceof FrequencyCap.Scope.OnChannel on ? on.purpose() : Optional.empty())
                            .map(sent -> cap.reachedWith(sent) ? cap : null))
                    .filter(reached -> reached != null)
                    .toUni()
                    .map(Optional::ofNullable);
        });
    }

    /** The recipient's locale and zone; the workspace's default zone when neither the profile nor the event has one. */
    public Uni<RecipientFormat> recipient(Firing firing, Map<String, Object> traits) {
        return rules.of(firing.workspace())
                .map(workspace -> RecipientFormat.of(traits, eventContext(firing.cause()), workspace.defaultZone()));
    }

    /** The event's context ({@code context.timezone}, {@code context.locale}); empty for a segment transition. */
    public static Map<String, Object> eventContext(TriggerCause cause) {
        return cause instanceof TriggerCause.ObservedEvent event && event.context() != null ? event.context() : Map.of();
    }
}
