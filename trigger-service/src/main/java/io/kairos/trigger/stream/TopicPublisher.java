package io.kairos.trigger.stream;

import io.kairos.trigger.config.TriggerConfig;
import io.kairos.trigger.domain.Firing;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The kafka channel: a firing's JSON (the webhook payload) published to the topic the trigger names,
 * keyed by profile, with the firing id in an {@code Idempotency-Key} header so that a consumer can
 * drop a firing published again after a crash. Logged sent only once Kafka acknowledged it.
 */
@ApplicationScoped
public class TopicPublisher {

    private final MutinyEmitter<byte[]> topics;
    private final Duration ackTimeout;

    public TopicPublisher(@org.eclipse.microprofile.reactive.messaging.Channel("topic-actions") MutinyEmitter<byte[]> topics,
                          TriggerConfig config) {
        this.topics = topics;
        this.ackTimeout = config.actions().ackTimeout();
    }

    public Uni<Void> publish(String topic, Firing firing, byte[] payloadJson) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("Idempotency-Key", firing.firingId().toString().getBytes(StandardCharsets.UTF_8));
        headers.add("Content-Type", "application/json".getBytes(StandardCharsets.UTF_8));
        Message<byte[]> record = Message.of(payloadJson).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(firing.workspace() + ":" + firing.profileId()).withHeaders(headers).build());
        return Uni.createFrom().deferred(() -> topics.sendMessage(record))
                .ifNoItem().after(ackTimeout).failWith(() -> new ActionStreamUnavailable(
                        "Kafka did not acknowledge firing " + firing.firingId() + " on " + topic + " within " + ackTimeout, null))
                .onFailure(failure -> !(failure instanceof ActionStreamUnavailable))
                .transform(failure -> new ActionStreamUnavailable(
                        "Kafka refused firing " + firing.firingId() + " on " + topic + ": " + failure.getMessage(), failure));
    }
}
