package io.kairos.trigger.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.MembershipChange;
import io.kairos.trigger.delivery.FiringDispatcher;
import io.kairos.trigger.domain.TriggerCause;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.Map;

/**
 * {@code kairos.segments.membership}: fires segmentEntered / segmentExited triggers with the traits the
 * change carries, those segment-service decided the transition on. The exits of an erased profile fire
 * nothing: the person's data is gone and they are not to be contacted about it.
 */
@ApplicationScoped
public class MembershipChangeConsumer {

    private final FiringDispatcher dispatcher;
    private final MessageJson json;
    private final ProfileOrderedBatches batches;

    public MembershipChangeConsumer(FiringDispatcher dispatcher, MessageJson json, ProfileOrderedBatches batches) {
        this.dispatcher = dispatcher;
        this.json = json;
        this.batches = batches;
    }

    @Incoming("membership-changes")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        return batches.process(records, this::consume);
    }

    private Uni<Void> consume(byte[] payload) {
        MembershipChange change = parse(payload);
        if (change.getProfileErased()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Object> profileTraits = json.object(change.getTraitsJson(), "traits_json");
        TriggerCause cause = new TriggerCause.MembershipTransition(change.getChangeId(), change.getSegmentId(),
                change.getSegmentVersion(), change.getTransition() == MembershipChange.Transition.ENTERED,
                change.getReason(), change.getCauseMessageId(), Instant.ofEpochMilli(change.getAtMs()));
        return dispatcher.dispatch(change.getWorkspace(), change.getProfileId(), cause, profileTraits);
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
