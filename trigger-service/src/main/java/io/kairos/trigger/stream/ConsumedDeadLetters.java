package io.kairos.trigger.stream;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;

/**
 * {@code <topic>.dlq}: a consumed record that can never be processed, as it came, with the reason.
 * The headers are those of the connector's own dead-letter queue, so one tool reads both.
 */
@ApplicationScoped
public class ConsumedDeadLetters {

    private final MutinyEmitter<byte[]> deadLetters;

    public ConsumedDeadLetters(@Channel("consumed-dead-letters") MutinyEmitter<byte[]> deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Completes when the broker has acknowledged the dead letter. */
    public Uni<Void> send(ConsumerRecord<String, byte[]> record, Throwable reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        header(headers, "dead-letter-reason", reason.getMessage() == null ? reason.getClass().getName() : reason.getMessage());
        header(headers, "dead-letter-cause", reason.getCause() == null ? null : reason.getCause().getMessage());
        header(headers, "dead-letter-exception-class-name", reason.getClass().getName());
        header(headers, "dead-letter-topic", record.topic());
        header(headers, "dead-letter-partition", Integer.toString(record.partition()));
        header(headers, "dead-letter-offset", Long.toString(record.offset()));
        return deadLetters.sendMessage(Message.of(record.value() == null ? new byte[0] : record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(record.topic() + ".dlq")
                        .withKey(record.key()).withHeaders(headers).build()));
    }

    private static void header(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
