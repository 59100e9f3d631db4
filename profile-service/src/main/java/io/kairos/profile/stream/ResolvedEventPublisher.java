package io.kairos.profile.stream;

import com.google.protobuf.ByteString;
import io.kairos.api.events.ProfileDeleted;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.profile.store.RecordedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
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

    /** Completes when the broker has acknowledged the write (acks=all). */
    public Uni<Void> publish(RecordedEvent recorded, RawEvent raw) {
        String workspace = recorded.event().workspace();
        String profileId = recorded.profileId().toString();
        ResolvedEvent resolved = ResolvedEvent.newBuilder()
                .setWorkspace(workspace)
                .setProfileId(profileId)
                .setEvent(ProfileEvent.newBuilder()
                        .setRaw(raw)
                        .setChangedTraitsJson(ByteString.copyFrom(codec.toJson(recorded.changedTraits())))
                        .setTraitsJson(ByteString.copyFrom(codec.toJson(recorded.traits()))))
                .build();
        return send(resolved);
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
