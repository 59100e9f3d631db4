package io.kairos.trigger.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.trigger.delivery.FiringDispatcher;
import io.kairos.trigger.domain.TriggerCause;
import io.kairos.trigger.store.DeliveryLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.Map;

/**
 * {@code kairos.events.resolved}: tracked events fire event triggers, with the traits the event
 * carries; a merge moves the merged profiles' deliveries and waits to the survivor; a deletion
 * erases them. A polled batch at a time, profiles at once (see {@link ProfileOrderedBatches}); the
 * offsets are committed when the returned Uni completes, i.e. after every firing is in the delivery log.
 */
@ApplicationScoped
public class ResolvedEventConsumer {

    private final FiringDispatcher dispatcher;
    private final MessageJson json;
    private final ProfileOrderedBatches batches;
    private final DeliveryLog deliveries;

    public ResolvedEventConsumer(FiringDispatcher dispatcher, MessageJson json, ProfileOrderedBatches batches,
                                 DeliveryLog deliveries) {
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.json = json;
        this.batches = batches;
    }

    @Incoming("resolved-events")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        return batches.process(records, this::consume);
    }

    private Uni<Void> consume(byte[] payload) {
        ResolvedEvent resolved = parse(payload);
        return switch (resolved.getBodyCase()) {
            case EVENT -> onEvent(resolved.getWorkspace(), resolved.getProfileId(), resolved.getEvent());
            // The merged profiles' deliveries and waits go on as the survivor's.
            case MERGED -> deliveries.merge(resolved.getWorkspace(), resolved.getProfileId(),
                    resolved.getMerged().getMergedIdsList());
            // An erased profile's deliveries leave the log.
            case DELETED -> deliveries.erase(resolved.getWorkspace(), resolved.getProfileId()).replaceWithVoid();
            case BODY_NOT_SET -> throw new PoisonMessage("ResolvedEvent without event, merged or deleted");
        };
    }

    private Uni<Void> onEvent(String workspace, String profileId, ProfileEvent event) {
        RawEvent raw = event.getRaw();
        // Event triggers listen to tracked events; page and screen views carry a name, not an event.
        if (!"track".equals(raw.getType())) {
            return Uni.createFrom().voidItem();
        }
        if (raw.getMessageId().isEmpty() || raw.getEvent().isEmpty()) {
            throw new PoisonMessage("track event without message_id or event name");
        }
        Map<String, Object> profileTraits = json.object(event.getTraitsJson(), "traits_json");
        Map<String, Object> message = json.object(raw.getPayloadJson(), "payload_json");
        TriggerCause cause = new TriggerCause.ObservedEvent(raw.getMessageId(), raw.getType(), raw.getEvent(),
                raw.getChannel(), Instant.ofEpochMilli(raw.getTimestampMs()), member(message, "properties"),
                member(message, "context"));
        return dispatcher.dispatch(workspace, profileId, cause, profileTraits);
    }

    private static ResolvedEvent parse(byte[] payload) {
        ResolvedEvent resolved;
        try {
            resolved = ResolvedEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessage("not a kairos.events.ResolvedEvent: " + e.getMessage(), e);
        }
        if (resolved.getWorkspace().isEmpty() || resolved.getProfileId().isEmpty()) {
            throw new PoisonMessage("ResolvedEvent without workspace or profile_id");
        }
        return resolved;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(Map<String, Object> message, String name) {
        return message.get(name) instanceof Map<?, ?> value ? (Map<String, Object>) value : Map.of();
    }
}
