package io.kairos.segment.api;

import io.kairos.api.events.MembershipChange;
import io.kairos.api.events.ResolvedEvent;
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
import java.util.concurrent.CopyOnWriteArrayList;

/** Plain Kafka clients against the running broker: what an upstream producer and a downstream consumer see. */
final class KafkaTopics {

    static final String BOOTSTRAP = System.getenv().getOrDefault("KAIROS_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    static final String RESOLVED = "kairos.events.resolved";
    static final String RESOLVED_DLQ = "kairos.events.resolved.dlq";
    static final String MEMBERSHIP = "kairos.segments.membership";

    private KafkaTopics() {
    }

    static void produce(ResolvedEvent event) {
        produce(event.getWorkspace() + ":" + event.getProfileId(), event.toByteArray());
    }

    static void produce(String key, byte[] value) {
        produce(key, value, RESOLVED);
    }

    static void produce(String key, byte[] value, String topic) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    /** Many events through one producer, in order, acknowledged when this returns. */
    static void produceAll(List<ResolvedEvent> events) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ResolvedEvent event : events) {
                sent.add(producer.send(new ProducerRecord<>(RESOLVED, event.getWorkspace() + ":" + event.getProfileId(),
                        event.toByteArray())));
            }
            for (java.util.concurrent.Future<?> ack : sent) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + RESOLVED, e);
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    /**
     * Reads a topic from its current end on: create it before acting, then {@link #poll()} inside an
     * Awaitility block. Records accumulate across polls.
     */
    static final class Tail implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();

        Tail(String topic) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                    ConsumerConfig.GROUP_ID_CONFIG, "segment-service-test-" + UUID.randomUUID(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end offsets now, not lazily at the first poll
        }

        List<ConsumerRecord<String, byte[]>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return new ArrayList<>(seen);
        }

        /** Membership changes seen so far for one workspace. */
        List<MembershipChange> changes(String workspace) {
            List<MembershipChange> changes = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : poll()) {
                if (record.key() != null && record.key().startsWith(workspace + ":")) {
                    try {
                        MembershipChange change = MembershipChange.parseFrom(record.value());
                        if (!(workspace + ":" + change.getProfileId()).equals(record.key())) {
                            throw new AssertionError("membership change keyed " + record.key() + " for profile " + change.getProfileId());
                        }
                        changes.add(change);
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new AssertionError("not a MembershipChange on " + MEMBERSHIP, e);
                    }
                }
            }
            return changes;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
