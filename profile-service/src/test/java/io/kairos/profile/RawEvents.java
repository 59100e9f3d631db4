package io.kairos.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.kairos.api.events.RawEvent;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes raw events to kairos.events.raw as the gateway does: protobuf value, key "<workspace>:<userId|anonymousId>". */
final class RawEvents implements AutoCloseable {

    static final String TOPIC = "kairos.events.raw";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, byte[]> producer;

    RawEvents() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    static String workspace() {
        return "ws-" + UUID.randomUUID();
    }

    /** A raw event with the envelope filled from the Segment message, as the gateway writes it. */
    static RawEvent.Builder event(String workspace, String messageId, String type, Map<String, Object> message) {
        Map<String, Object> payload = new LinkedHashMap<>(message);
        payload.put("type", type);
        payload.put("messageId", messageId);
        RawEvent.Builder raw = RawEvent.newBuilder()
                .setWorkspace(workspace)
                .setMessageId(messageId)
                .setType(type)
                .setTimestampMs(System.currentTimeMillis())
                .setReceivedAtMs(System.currentTimeMillis())
                .setSourceId("src-test");
        if (message.get("userId") instanceof String userId) raw.setUserId(userId);
        if (message.get("anonymousId") instanceof String anonymousId) raw.setAnonymousId(anonymousId);
        if (message.get("event") instanceof String event) raw.setEvent(event);
        if (message.get("name") instanceof String name) raw.setEvent(name);
        if (message.get("context") instanceof Map<?, ?> context && context.get("channel") instanceof String channel) {
            raw.setChannel(channel);
        }
        try {
            return raw.setPayloadJson(ByteString.copyFrom(JSON.writeValueAsBytes(payload)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(RawEvent event) {
        String id = event.getUserId().isEmpty() ? event.getAnonymousId() : event.getUserId();
        send(event.getWorkspace() + ":" + id, event.toByteArray());
    }

    void send(String key, byte[] value) {
        sendTo(TOPIC, key, value);
    }

    /** Any other topic the service consumes (privacy requests). */
    void sendTo(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
