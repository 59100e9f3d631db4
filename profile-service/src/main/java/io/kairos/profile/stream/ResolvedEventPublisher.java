package io.kairos.profile.stream;

import com.google.protobuf.ByteString;
import io.kairos.api.events.ProfileDeleted;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.ProfileMerged;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.profile.store.RecordedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Announces recorded events and erasures on kairos.events.resolved, keyed by profile so one profile's messages stay in order. */
@ApplicationScoped
public class ResolvedEventPublisher {

    @Inject
    @Channel("resolved-events")
    MutinyEmitter<byte[]> resolvedEvents;

    @Inject
    RawEventCodec codec;

    /**
     * A merge the event caused goes first, on the survivor's key, so that consumers move the
     * absorbed profiles' state before they see the event. Completes when the broker has
     * acknowledged the writes (acks=all).
     */
    public Uni<Void> publish(RecordedEvent recorded, RawEvent raw) {
        String workspace = recorded.event().workspace();
        String profileId = recorded.profileId().toString();
        Uni<Void> merged = recorded.mergedIds().isEmpty() ? Uni.createFrom().voidItem()
                // the time of the event that tied the profiles together: the same on a redelivery
                : publishMerge(workspace, recorded.profileId(), recorded.mergedIds(), recorded.event().occurredAt(),
                        recorded.traits());
        ResolvedEvent resolved = ResolvedEvent.newBuilder()
                .setWorkspace(workspace)
                .setProfileId(profileId)
                .setEvent(ProfileEvent.newBuilder()
                        .setRaw(raw)
                        .setChangedTraitsJson(ByteString.copyFrom(codec.toJson(recorded.changedTraits())))
                        .setTraitsJson(ByteString.copyFrom(codec.toJson(recorded.traits()))))
                .build();
        return merged.chain(() -> send(resolved));
    }

    /** Tells other services that the merged ids are now the survivor; completes when the broker has acknowledged it. */
    public Uni<Void> publishMerge(String workspace, UUID survivorId, List<UUID> mergedIds, Instant at,
            Map<String, Object> traits) {
        return send(ResolvedEvent.newBuilder()
                .setWorkspace(workspace)
                .setProfileId(survivorId.toString())
                .setMerged(ProfileMerged.newBuilder()
                        .setSurvivorId(survivorId.toString())
                        .addAllMergedIds(mergedIds.stream().map(UUID::toString).toList())
                        .setAtMs(at.toEpochMilli())
                        .setTraitsJson(ByteString.copyFrom(codec.toJson(traits))))
                .build());
    }

    /** Tells other services to purge the profile; completes when the broker has acknowledged it. */
    public Uni<Void> publishDeletion(String workspace, UUID profileId, Instant deletedAt, String reason) {
        return send(ResolvedEvent.newBuilder()
                .setWorkspace(workspace)
                .setProfileId(profileId.toString())
                .setDeleted(ProfileDeleted.newBuilder().setAtMs(deletedAt.toEpochMilli()).setReason(reason))
                .build());
    }

    private Uni<Void> send(ResolvedEvent resolved) {
        String key = resolved.getWorkspace() + ":" + resolved.getProfileId();
        return resolvedEvents.sendMessage(Message.of(resolved.toByteArray())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()));
    }
}
