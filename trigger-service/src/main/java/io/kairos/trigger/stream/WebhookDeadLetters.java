package io.kairos.trigger.stream;

import io.kairos.trigger.config.TriggerConfig;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.Firing;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A webhook firing whose last try failed goes to {@code kairos.actions.dlq}: the request body it
 * would have sent, as a kairos.events.Action keyed by profile, with the reason and the URL in the
 * {@code dead-letter-reason} and {@code webhook-url} headers, for an operator to inspect or replay
 * (the firing id stays its Idempotency-Key). It is also logged failed.
 */
@ApplicationScoped
public class WebhookDeadLetters {

    private final MutinyEmitter<byte[]> deadLetters;
    private final Duration ackTimeout;

    public WebhookDeadLetters(
            @org.eclipse.microprofile.reactive.messaging.Channel("webhook-dead-letters") MutinyEmitter<byte[]> deadLetters,
            TriggerConfig config) {
        this.deadLetters = deadLetters;
        this.ackTimeout = config.actions().ackTimeout();
    }

    public Uni<Void> publish(Firing firing, Channel channel, URI url, byte[] body, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        headers.add("webhook-url", url.toString().getBytes(StandardCharsets.UTF_8));
        Message<byte[]> record = Message.of(ActionPublisher.action(firing, channel, body).toByteArray()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(firing.workspace() + ":" + firing.profileId()).withHeaders(headers).build());
        return Uni.createFrom().deferred(() -> deadLetters.sendMessage(record))
                .ifNoItem().after(ackTimeout).failWith(() -> new ActionStreamUnavailable(
                        "Kafka did not take the dead letter of firing " + firing.firingId() + " within " + ackTimeout, null));
    }
}
