package io.kairos.gateway.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.kairos.api.events.RawEvent;
import io.kairos.gateway.config.GatewayConfig;
import io.kairos.gateway.domain.AdmittedMessage;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.List;

/**
 * Writes admitted messages to {@code kairos.events.raw} (acks=all, idempotent producer).
 * The returned Uni completes only once Kafka acknowledged every message, and fails with
 * {@link EventLogUnavailableException} when that did not happen within the ack timeout.
 */
@ApplicationScoped
public class RawEventPublisher {

    @Inject
    @Channel("raw-events")
    // A batch may hold thousands of small messages; the default buffer (128) would refuse them.
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    MutinyEmitter<byte[]> emitter;

    @Inject
    ObjectMapper json;

    @Inject
    GatewayConfig config;

    public Uni<Void> publish(List<AdmittedMessage> messages) {
        List<Message<byte[]>> records = messages.stream().map(this::record).toList();
        List<Uni<Void>> acknowledgements = records.stream().map(emitter::sendMessage).toList();
        return Uni.join().all(acknowledgements).andFailFast()
                .ifNoItem().after(config.ingestion().ackTimeout())
                .failWith(() -> new EventLogUnavailableException(
                        "Kafka did not acknowledge within " + config.ingestion().ackTimeout(), null))
                .onFailure(failure -> !(failure instanceof EventLogUnavailableException))
                .transform(failure -> new EventLogUnavailableException("Kafka refused the write", failure))
                .replaceWithVoid();
    }

    private Message<byte[]> record(AdmittedMessage message) {
        RawEvent.Builder event = RawEvent.newBuilder()
                .setWorkspace(message.workspace())
                .setMessageId(message.messageId())
                .setType(message.type().wireName())
                .setTimestampMs(message.timestamp().toEpochMilli())
                .setReceivedAtMs(message.receivedAt().toEpochMilli())
                .setSourceId(message.sourceId())
                .setChannel(message.channel())
                .setPayloadJson(ByteString.copyFrom(encode(message)));
        if (message.userId() != null) {
            event.setUserId(message.userId());
        }
        if (message.anonymousId() != null) {
            event.setAnonymousId(message.anonymousId());
        }
        if (message.event() != null) {
            event.setEvent(message.event());
        }
        if (message.previousId() != null) {
            event.setPreviousId(message.previousId());
        }
        if (message.groupId() != null) {
            event.setGroupId(message.groupId());
        }
        return Message.of(event.build().toByteArray()).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(message.partitionKey()).build());
    }

    private byte[] encode(AdmittedMessage message) {
        try {
            return json.writeValueAsBytes(message.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decoded JSON message always encodes again", e);
        }
    }
}
