package io.kairos.bench;

import org.HdrHistogram.Histogram;
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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * profile-service under load: a workspace seeded with many profiles straight in PostgreSQL, raw
 * events written to {@code kairos.events.raw} at a fixed rate (most for existing profiles), and
 * each event's added latency measured from its raw record's timestamp to its resolved record's
 * timestamp on {@code kairos.events.resolved} (the two producers' CreateTime, on this one
 * machine's clock). Run through {@code ./kairos bench profiles}.
 */
public final class ProfileBenchmark {

    private ProfileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Map<String, String> options = options(args);
        if (options.containsKey("--clean")) {
            // Separately, once profile-service stopped: while it runs it may still be writing to the workspace.
            try (Connection database = DriverManager.getConnection(options.getOrDefault("--jdbc",
                    "jdbc:postgresql://127.0.0.1:5432/kairos_profile?user=postgres"))) {
                clean(database, options.get("--clean"));
            }
            return;
        }
        String bootstrap = options.getOrDefault("--bootstrap", "127.0.0.1:9092");
        String jdbc = options.getOrDefault("--jdbc", "jdbc:postgresql://127.0.0.1:5432/kairos_profile?user=postgres");
        int profiles = Integer.parseInt(options.getOrDefault("--profiles", "1000000"));
        int rate = Integer.parseInt(options.getOrDefault("--rate", "2000"));
        Duration duration = Duration.parse("PT" + options.getOrDefault("--duration", "60s").toUpperCase(Locale.ROOT));
        String workspace = options.getOrDefault("--workspace", "bench-profiles-" + System.currentTimeMillis());

        try (Connection database = DriverManager.getConnection(jdbc)) {
            long seeded = System.nanoTime();
            seed(database, workspace, profiles);
            System.err.printf("bench: seeded %,d profiles in %.1f s%n", profiles, (System.nanoTime() - seeded) / 1e9);

            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Histogram latency = new Histogram(60_000, 3);
            AtomicLong resolved = new AtomicLong();
            AtomicLong lastResolvedMs = new AtomicLong();
            Thread listener = Thread.ofPlatform().name("resolved-listener")
                    .start(() -> listen(bootstrap, workspace, sentAt, latency, resolved, lastResolvedMs));
            Thread.sleep(3000); // the listener is assigned and at the end of the topic

            long firstSentMs = System.currentTimeMillis();
            long sent = produce(bootstrap, workspace, profiles, rate, duration, sentAt);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (resolved.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            listener.interrupt();
            listener.join();
            long done = resolved.get();
            System.out.printf("""
                    Kairos profile-service benchmark (kairos.events.raw -> kairos.events.resolved)
                      started      %s, workspace %s
                      seeded       %,d profiles (an anonymousId each) in PostgreSQL
                      offered      %,d events/s for %s: %,d events, 90%% for existing profiles, 10%% new visitors
                      resolved     %,d of %,d (%s)
                      throughput   %,.0f events/s resolved and stored, from the first event written to the last resolved
                      machine      %d cores; Java %s
                    Added latency, ms (raw record written -> resolved record written)
                      p50 %.1f   p90 %.1f   p99 %.1f   p99.9 %.1f   max %.1f
                    """, Instant.now(), workspace, profiles, rate, duration, sent, done, sent,
                    done == sent ? "all" : "NOT ALL within 120 s after the last one: the service did not keep up",
                    done * 1000.0 / Math.max(1, lastResolvedMs.get() - firstSentMs),
                    Runtime.getRuntime().availableProcessors(), Runtime.version(),
                    latency.getValueAtPercentile(50) / 1.0, latency.getValueAtPercentile(90) / 1.0,
                    latency.getValueAtPercentile(99) / 1.0, latency.getValueAtPercentile(99.9) / 1.0, latency.getMaxValue() / 1.0);
            System.exit(done == sent ? 0 : 1);
        }
    }

    /** One profile per anonymousId a-0 .. a-(n-1), inserted in one statement each for profiles and identifiers. */
    private static void seed(Connection database, String workspace, int profiles) throws Exception {
        try (PreparedStatement insert = database.prepareStatement("""
                insert into profile (id, workspace, traits, trait_times, first_seen, last_seen, created_at, updated_at, version)
                select md5(? || i)::uuid, ?, jsonb_build_object('plan', 'free', '$channels', jsonb_build_array('web')),
                       '{}', now() - interval '30 days', now() - interval '1 day', now() - interval '30 days', now(), 0
                from generate_series(0, ? - 1) i""")) {
            insert.setString(1, workspace);
            insert.setString(2, workspace);
            insert.setInt(3, profiles);
            insert.executeUpdate();
        }
        try (PreparedStatement insert = database.prepareStatement("""
                insert into profile_identifier (workspace, type, value, profile_id, created_at)
                select ?, 'anonymousId', 'a-' || i, md5(? || i)::uuid, now() - interval '30 days'
                from generate_series(0, ? - 1) i""")) {
            insert.setString(1, workspace);
            insert.setString(2, workspace);
            insert.setInt(3, profiles);
            insert.executeUpdate();
        }
    }

    private static long produce(String bootstrap, String workspace, int profiles, int rate, Duration duration,
                                Map<String, Long> sentAt) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        long total = (long) rate * duration.toSeconds();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                String anonymousId = random.nextInt(10) == 0 ? "new-" + i : "a-" + random.nextInt(profiles);
                String messageId = workspace + "-" + i;
                String event = random.nextInt(3) == 0 ? "Product Viewed" : "Page Viewed";
                long now = System.currentTimeMillis();
                String json = "{\"type\":\"track\",\"event\":\"" + event + "\",\"anonymousId\":\"" + anonymousId
                        + "\",\"messageId\":\"" + messageId + "\",\"properties\":{\"sku\":\"sku-" + random.nextInt(1000)
                        + "\"},\"context\":{\"channel\":\"web\",\"locale\":\"en-US\"}}";
                byte[] raw = EventWire.rawTrack(workspace, messageId, anonymousId, event, "web", now, json);
                producer.send(new ProducerRecord<>("kairos.events.raw", workspace + ":" + anonymousId, raw),
                        (metadata, failure) -> {
                            if (failure == null) {
                                sentAt.put(messageId, metadata.timestamp());
                            }
                        });
            }
            producer.flush();
        }
        System.err.printf("bench: wrote %,d raw events in %.1f s%n", total, (System.nanoTime() - start) / 1e9);
        return total;
    }

    private static void listen(String bootstrap, String workspace, Map<String, Long> sentAt, Histogram latency,
                               AtomicLong resolved, AtomicLong lastResolvedMs) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + workspace,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("kairos.events.resolved").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.key() == null || !record.key().startsWith(workspace + ":")) {
                        continue;
                    }
                    Optional<String> messageId = EventWire.resolvedMessageId(record.value());
                    if (messageId.isEmpty()) {
                        continue;
                    }
                    Long written = sentAt.get(messageId.get());
                    if (written != null) {
                        latency.recordValue(Math.max(0, Math.min(60_000, record.timestamp() - written)));
                    }
                    resolved.incrementAndGet();
                    lastResolvedMs.accumulateAndGet(record.timestamp(), Math::max);
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException stopped) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void clean(Connection database, String workspace) throws Exception {
        for (String table : List.of("suppressed_identifier", "deleted_profile", "identity_rules", "profile_event", "dropped_identifier", "profile_alias", "profile_identifier", "profile")) {
            try (PreparedStatement delete = database.prepareStatement("delete from " + table + " where workspace = ?")) {
                delete.setString(1, workspace);
                delete.executeUpdate();
            }
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
