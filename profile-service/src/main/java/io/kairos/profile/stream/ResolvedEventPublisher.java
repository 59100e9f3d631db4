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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Announces recorded events and erasures on kairos.events.resolved, keyed by profile so one profile's messages stay in order. */
@ApplicationScoped
public class ResolvedEventPublisher {

    private static final String CHANNEL = "resolved-events";

    @Inject
    @Channel(CHANNEL)
    MutinyEmitter<byte[]> resolvedEvents;

    @Inject
    KafkaClientService kafka;

    @ConfigProperty(name = "mp.messaging.outgoing.resolved-events.topic")
    String topic;

    @Inject
    RawEventCodec codec;

    /** A recorded event with the raw event to announce it with. */
    public record Announcement(RecordedEvent recorded, RawEvent raw) {
    }

    /**
     * Announces events in their order; a merge an event caused goes just before it, on the
     * survivor's key, so that consumers move the absorbed profiles' state before they see the
     * event. Completes when the broker has acknowledged every write (acks=all). The records are
     * handed to the producer all at once: it batches them, and keeps their order per partition.
     */
    public Uni<Void> publishAll(List<Announcement> announcements) {
        if (announcements.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        KafkaProducer<String, byte[]> producer = kafka.getProducer(CHANNEL);
        List<Uni<RecordMetadata>> sent = new ArrayList<>(announcements.size() + 1);
        for (Announcement announcement : announcements) {
            RecordedEvent recorded = announcement.recorded();
            if (!recorded.mergedIds().isEmpty()) {
                // the time of the event that tied the profiles together: the same on a redelivery
                sent.add(producer.send(record(merge(recorded.event().workspace(), recorded.profileId(), recorded.mergedIds(),
                        recorded.event().occurredAt(), recorded.traits()))));
            }
            sent.add(producer.send(record(ResolvedEvent.newBuilder()
                    .setWorkspace(recorded.event().workspace())
                    .setProfileId(recorded.profileId().toString())
                    .setEvent(ProfileEvent.newBuilder()
                            .setRaw(announcement.raw())
                            .setChangedTraitsJson(ByteString.copyFrom(codec.toJson(recorded.changedTraits())))
                            .setTraitsJson(ByteString.copyFrom(codec.toJson(recorded.traits()))))
                    .build())));
        }
        return Uni.join().all(sent).andFailFast().replaceWithVoid();
    }

    /** Tells other services that the merged ids are now the survivor; completes when the broker has acknowledged it. */
    public Uni<Void> publishMerge(String workspace, UUID survivorId, List<UUID> mergedIds, Instant at,
            Map<String, Object> traits) {
        return send(merge(workspace, survivorId, mergedIds, at, traits));
    }

    private ResolvedEvent merge(String workspace, UUID survivorId, List<UUID> mergedIds, Instant at, Map<String, Object> traits) {
        return ResolvedEvent.newBuilder()
                .setWorkspace(workspace)
                .setProfileId(survivorId.toString())
                .setMerged(ProfileMerged.newBuilder()
                        .setSurvivorId(survivorId.toString())
                        .addAllMergedIds(mergedIds.stream().map(UUID::toString).toList())
                        .setAtMs(at.toEpochMilli())
                        .setTraitsJson(ByteString.copyFrom(codec.toJson(traits))))
                .build();
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
        return resolvedEvents.sendMessage(Message.of(resolved.toByteArray())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key(resolved)).build()));
    }

    private ProducerRecord<String, byte[]> record(ResolvedEvent resolved) {
        // the channel's topic: the producer of the channel sends to it
        return new ProducerRecord<>(topic, key(resolved), resolved.toByteArray());
    }

    private static String key(ResolvedEvent resolved) {
        return resolved.getWorkspace() + ":" + resolved.getProfileId();
    }
}
