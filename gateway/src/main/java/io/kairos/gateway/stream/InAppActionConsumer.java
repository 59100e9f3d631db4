package io.kairos.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.Action;
import io.kairos.gateway.domain.InAppMessage;
import io.kairos.gateway.store.VisitorInbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * kairos.actions -> the visitor's in-app inbox. Only {@code in_app} actions concern the gateway;
 * the others (e.g. {@code kafka}) are for other consumers and passed over. The returned Uni
 * completes once Redis took the message, and only then is the offset committed; one instance of
 * the consumer group writes each message, and every instance hears of it through Redis.
 * A record that can never be an in-app message goes to kairos.actions.dlq with the reason.
 */
@ApplicationScoped
public class InAppActionConsumer {

    static final String IN_APP = "in_app";

    private static final Logger LOG = Logger.getLogger(InAppActionConsumer.class);
    private static final int ATTEMPTS_AFTER_FIRST = 8;

    @Inject
    VisitorInbox inbox;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Incoming("in-app-actions")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        Action action;
        try {
            action = parse(record.value());
        } catch (PoisonRecordException poison) {
            return Uni.createFrom().failure(poison);
        }
        if (!IN_APP.equals(action.getChannel())) {
            return Uni.createFrom().voidItem();
        }
        InAppMessage message;
        try {
            message = message(action);
        } catch (PoisonRecordException poison) {
            return Uni.createFrom().failure(poison);
        }
        if (message.expired(clock.instant(), inbox.retention())) {
            LOG.debugf("firing %s is older than the inbox keeps messages; not shown", message.firingId());
            return Uni.createFrom().voidItem();
        }
        // Retrying is safe: the inbox recognises a firing it already holds.
        return Uni.createFrom().deferred(() -> inbox.append(message))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(ATTEMPTS_AFTER_FIRST)
                .invoke(appended -> {
                    if (appended.isEmpty()) {
                        LOG.debugf("firing %s is in the inbox already; delivered again", message.firingId());
                    }
                })
                .replaceWithVoid();
    }

    private static Action parse(byte[] value) {
        if (value == null) {
            throw new PoisonRecordException("the record has no value; expected a kairos.events.Action");
        }
        try {
            return Action.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonRecordException("not a kairos.events.Action: " + e.getMessage());
        }
    }

    private InAppMessage message(Action action) {
        String workspace = required(action.getWorkspace(), "workspace");
        String profileId = required(action.getProfileId(), "profile_id");
        String firingId = required(action.getFiringId(), "firing_id");
        if (action.getFiredAtMs() <= 0) {
            throw new PoisonRecordException("an in_app action needs fired_at_ms (firing " + firingId + ")");
        }
        return new InAppMessage(workspace, profileId, action.getTriggerId(), firingId,
                messageObject(action, firingId), Instant.ofEpochMilli(action.getFiredAtMs()));
    }

    /** The rendered message as the browser gets it: it must be a JSON object. */
    private String messageObject(Action action, String firingId) {
        String text = action.getMessageJson().toStringUtf8();
        JsonNode tree;
        try {
            tree = json.readTree(text);
        } catch (IOException e) {
            throw new PoisonRecordException("message_json of firing " + firingId + " is not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new PoisonRecordException("message_json of firing " + firingId + " is not a JSON object");
        }
        // Compact, on one line: it becomes one SSE data line.
        return tree.toString();
    }

    private static String required(String value, String field) {
        if (value.isBlank()) {
            throw new PoisonRecordException("an in_app action needs " + field);
        }
        return value;
    }
}
