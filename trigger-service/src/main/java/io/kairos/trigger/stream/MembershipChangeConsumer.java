package io.kairos.trigger.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.MembershipChange;
import io.kairos.trigger.delivery.FiringDispatcher;
import io.kairos.trigger.domain.TriggerCause;
import io.kairos.trigger.store.ProfileTraitsSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;

/** {@code kairos.segments.membership}: fires segmentEntered / segmentExited triggers. */
@ApplicationScoped
public class MembershipChangeConsumer {

    private final FiringDispatcher dispatcher;
    private final ProfileTraitsSnapshot traits;
    private final MessageRetry retry;

    public MembershipChangeConsumer(FiringDispatcher dispatcher, ProfileTraitsSnapshot traits, MessageRetry retry) {
        this.dispatcher = dispatcher;
        this.traits = traits;
        this.retry = retry;
    }

    @Incoming("membership-changes")
    public Uni<Void> consume(byte[] payload) {
        return retry.guard("kairos.segments.membership", Uni.createFrom().deferred(() -> {
            MembershipChange change = parse(payload);
            TriggerCause cause = new TriggerCause.MembershipTransition(change.getChangeId(), change.getSegmentId(),
                    change.getSegmentVersion(), change.getTransition() == MembershipChange.Transition.ENTERED,
                    change.getReason(), change.getCauseMessageId(), Instant.ofEpochMilli(change.getAtMs()));
            String workspace = change.getWorkspace();
            String profileId = change.getProfileId();
            return traits.traitsOf(workspace, profileId)
                    .flatMap(profile -> dispatcher.dispatch(workspace, profileId, cause, profile));
        }));
    }

    private static MembershipChange parse(byte[] payload) {
        MembershipChange change;
        try {
            change = MembershipChange.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessage("not a kairos.events.MembershipChange: " + e.getMessage(), e);
        }
        if (change.getWorkspace().isEmpty() || change.getProfileId().isEmpty() || change.getSegmentId().isEmpty()
                || change.getChangeId().isEmpty()) {
            throw new PoisonMessage("MembershipChange without workspace, profile_id, segment_id or change_id");
        }
        if (change.getTransition() != MembershipChange.Transition.ENTERED
                && change.getTransition() != MembershipChange.Transition.EXITED) {
            throw new PoisonMessage("MembershipChange with transition " + change.getTransition());
        }
        return change;
    }
}
