package io.kairos.trigger.stream;

import com.google.protobuf.ByteString;
import io.kairos.api.events.Action;
import io.kairos.trigger.config.TriggerConfig;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.Firing;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;

/**
 * Puts firings of the in-app channel on {@code kairos.actions} (acks=all), keyed by profile like
 * every per-profile topic. The firing id travels in the message: a firing published again after a
 * crash between the broker's acknowledgement and the delivery log is recognised by it downstream.
 */
@ApplicationScoped
public class ActionPublisher {

    private final MutinyEmitter<byte[]> actions;
    private final Duration ackTimeout;

    public ActionPublisher(
            @org.eclipse.microprofile.reactive.messaging.Channel("actions") MutinyEmitter<byte[]> actions,
            TriggerConfig config) {
        this.actions = actions;
        this.ackTimeout = config.actions().ackTimeout();
    }

    /**
     * Completes once Kafka acknowledged the message; fails with {@link ActionStreamUnavailable} when it
     * refused it or did not answer within the ack timeout.
     *
     * @param messageJson the rendered message, {@code {"subject"?, "body"}}
     */
    public Uni<Void> publish(Firing firing, Channel channel, byte[] messageJson) {
        Message<byte[]> record = Message.of(action(firing, channel, messageJson).toByteArray()).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(firing.workspace() + ":" + firing.profileId())
                        .build());
        return Uni.createFrom().deferred(() -> actions.sendMessage(record))
                .ifNoItem().after(ackTimeout).failWith(() -> new ActionStreamUnavailable(
                        "Kafka did not acknowledge firing " + firing.firingId() + " within " + ackTimeout, null))
                .onFailure(failure -> !(failure instanceof ActionStreamUnavailable))
                .transform(failure -> new ActionStreamUnavailable(
                        "Kafka refused firing " + firing.firingId() + ": " + failure.getMessage(), failure));
    }

    /** The firing as a kairos.events.Action carrying {@code messageJson}. */
    static Action action(Firing firing, Channel channel, byte[] messageJson) {
        return Action.newBuilder()
                .setWorkspace(firing.workspace())
                .setTriggerId(firing.triggerId().toString())
                .setFiringId(firing.firingId().toString())
                .setProfileId(firing.profileId())
                .setChannel(channel.wireName())
                .setMessageJson(ByteString.copyFrom(messageJson))
                .setFiredAtMs(firing.firedAt().toEpochMilli())
                .build();
    }
}
