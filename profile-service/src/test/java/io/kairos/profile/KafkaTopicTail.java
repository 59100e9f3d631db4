package io.kairos.profile;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything written to a topic from the moment it is opened, collected by a background poller. */
final class KafkaTopicTail implements AutoCloseable {

    private static final String BOOTSTRAP = "127.0.0.1:9092";

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean open = true;

    KafkaTopicTail(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "profile-service-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        createIfMissing(topic);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = await().atMost(Duration.ofSeconds(30))
                .until(() -> consumer.partitionsFor(topic, Duration.ofSeconds(5)), found -> !found.isEmpty())
                .stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // position() resolves the lazy seek now, so nothing written after this constructor is missed
        partitions.forEach(consumer::position);
        poller = Thread.ofPlatform().daemon().name("tail-" + topic).start(this::poll);
    }

    /** A topic nobody wrote to yet does not exist, and a consumer cannot be positioned on it. */
    private static void createIfMissing(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + topic, e);
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic, e);
        }
    }

    private void poll() {
        try {
            while (open) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        } catch (WakeupException closing) {
            // close() woke the poller up
        } finally {
            consumer.close();
        }
    }

    List<ConsumerRecord<String, byte[]>> records(Predicate<ConsumerRecord<String, byte[]>> filter) {
        return records.stream().filter(filter).toList();
    }

    List<ConsumerRecord<String, byte[]>> withKeyPrefix(String prefix) {
        return records(record -> record.key() != null && record.key().startsWith(prefix));
    }

    static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        record.headers().forEach(header -> headers.put(header.key(),
                header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8)));
        return headers;
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        consumer.wakeup();
        poller.join(5_000);
    }
}
