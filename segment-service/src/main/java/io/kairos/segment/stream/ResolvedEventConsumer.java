package io.kairos.segment.stream;

import io.kairos.segment.domain.ProfileActivity;
import io.kairos.segment.store.MembershipLedger;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Real-time membership from {@code kairos.events.resolved}. The returned Uni completes only once the
 * membership is stored and its changes are acknowledged by Kafka, and only then is the offset
 * committed. Malformed messages fail at once and go to {@code kairos.events.resolved.dlq}; other
 * failures (database, broker) are retried with back-off first.
 */
@ApplicationScoped
public class ResolvedEventConsumer {

    private static final Logger LOG = Logger.getLogger(ResolvedEventConsumer.class);

    /** Set once shutdown begins: from then on a failure is the closing pool's, not the message's. */
    private volatile boolean stopping;

    @Inject
    MembershipLedger ledger;

    @Inject
    MembershipPublisher publisher;

    @Incoming("resolved-events")
    public Uni<Void> consume(byte[] payload) {
        ResolvedEventDecoder.Decoded decoded;
        try {
            decoded = ResolvedEventDecoder.decode(payload);
        } catch (PoisonMessageException e) {
            LOG.warnf("dead-lettering a resolved event: %s", e.getMessage());
            return Uni.createFrom().failure(e);
        }
        return switch (decoded) {
            case ResolvedEventDecoder.Activity(ProfileActivity activity) -> stored(Uni.createFrom().deferred(
                    () -> ledger.recordActivity(activity).chain(() -> publisher.publishPending(activity.workspace(), activity.profileId()))),
                    "message " + activity.messageId() + " of " + activity.workspace() + ":" + activity.profileId());
            case ResolvedEventDecoder.Deletion(String workspace, String profileId) -> stored(Uni.createFrom().deferred(
                    () -> ledger.erase(workspace, profileId, MembershipLedger.CAUSE_PROFILE_DELETED)
                            .chain(() -> publisher.publishPending(workspace, profileId))),
                    "the deletion of " + workspace + ":" + profileId);
            case ResolvedEventDecoder.Ignored() -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> stored(Uni<Void> work, String what) {
        return work
                .onFailure(e -> !stopping).invoke(e -> LOG.warnf(e, "processing %s failed", what))
                .onFailure(e -> !stopping).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(6)
                // Neither acknowledged nor dead-lettered: the offset stays uncommitted and the message is redelivered.
                .onFailure(e -> stopping).recoverWithUni(() -> Uni.createFrom().nothing());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
