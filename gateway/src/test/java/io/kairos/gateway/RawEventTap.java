package io.kairos.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.RawEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads kairos.events.raw from its current end, with a consumer group of its own. Not thread
 * safe: poll it from the test thread (Awaitility's pollInSameThread).
 */
public final class RawEventTap implements AutoCloseable {

    public static final String TOPIC = "kairos.events.raw";

    public record Received(String key, RawEvent event) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new ArrayList<>();

    public RawEventTap() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getenv().getOrDefault("KAIROS_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(TOPIC, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, before the test produces anything.
        partitions.forEach(consumer::position);
    }

    /** Everything read so far (after one more poll) whose key is in the workspace. */
    public List<Received> of(String workspace) {
        consumer.poll(Duration.ofMillis(200)).forEach(this::keep);
        return received.stream().filter(r -> r.key().startsWith(workspace + ":")).toList();
    }

    private void keep(ConsumerRecord<String, byte[]> record) {
        try {
            received.add(new Received(record.key(), RawEvent.parseFrom(record.value())));
        } catch (InvalidProtocolBufferException e) {
            // Other producers share the topic; only RawEvents are ours to look at.
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
