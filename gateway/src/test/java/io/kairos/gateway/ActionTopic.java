package io.kairos.gateway;

import io.kairos.api.events.Action;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * kairos.actions as trigger-service writes it (acks=all, key "workspace:profileId"), and its
 * dead-letter topic read from its current end. Not thread safe: use it from the test thread.
 */
public final class ActionTopic implements AutoCloseable {

    public static final String TOPIC = "kairos.actions";
    public static final String DEAD_LETTERS = "kairos.actions.dlq";

    private static final String BOOTSTRAP = System.getenv().getOrDefault("KAIROS_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> deadLetters;
    private final List<ConsumerRecord<String, byte[]>> deadLettersRead = new ArrayList<>();

    public ActionTopic() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
        deadLetters = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = deadLetters.partitionsFor(DEAD_LETTERS, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(DEAD_LETTERS, info.partition())).toList();
        deadLetters.assign(partitions);
        deadLetters.seekToEnd(partitions);
        partitions.forEach(deadLetters::position);
    }

    /** An in_app action of a new firing, as trigger-service publishes it. */
    public static Action inApp(String workspace, String profileId, String messageJson) {
        return Action.newBuilder()
                .setWorkspace(workspace)
                .setTriggerId(UUID.randomUUID().toString())
                .setFiringId(UUID.randomUUID().toString())
                .setProfileId(profileId)
                .setChannel("in_app")
                .setMessageJson(com.google.protobuf.ByteString.copyFromUtf8(messageJson))
                .setFiredAtMs(System.currentTimeMillis())
                .build();
    }

    public void send(Action action) {
        send(action.getWorkspace() + ":" + action.getProfileId(), action.toByteArray());
    }

    /** Returns once the broker acknowledged the record. */
    public void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("kairos.actions did not take the record", e);
        }
    }

    /** Dead letters read so far (after one more poll) with this key. */
    public List<ConsumerRecord<String, byte[]>> deadLetters(String key) {
        deadLetters.poll(Duration.ofMillis(200)).forEach(deadLettersRead::add);
        return deadLettersRead.stream().filter(record -> key.equals(record.key())).toList();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
        deadLetters.close(Duration.ofSeconds(2));
    }
}
