package io.kairos.profile.stream;

import com.google.protobuf.ByteString;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.profile.store.RecordedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Announces recorded events on kairos.events.resolved, keyed by profile so one profile's events stay in order. */
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
        return resolvedEvents.sendMessage(Message.of(resolved.toByteArray())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(workspace + ":" + profileId).build()));
    }
}
