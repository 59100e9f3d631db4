package io.kairos.bench;

import com.sun.net.httpserver.HttpServer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * trigger-service's real-time path: {@code --triggers} active event triggers (50) in one workspace,
 * each on its own event name and posting to a local HTTP receiver that stands in for the provider;
 * resolved events for {@code --profiles} profiles written to kairos.events.resolved at {@code --rate}
 * (2,000/s) for {@code --duration} (60 s) after a {@code --warmup} (20 s) at the same rate, unmeasured,
 * whose backlog is worked off before the measured round starts.
 * Each event names one trigger, so each one is one webhook request. The figure is the time from the
 * event being written to Kafka (the producer's acknowledgement is not waited for) to its webhook
 * request arriving, over the events written after the warm-up: everything trigger-service does in
 * between (consumer poll, trigger lookup, delivery-log check, consent Check, rendering, signing, the
 * POST, the log write) is in it.
 */
public final class ReactionBenchmark {

    private static final Pattern SENT_AT = Pattern.compile("\"sentAtMs\":(\\d+)");

    private ReactionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Map<String, String> options = ProfileBenchmark.options(args);
        String jdbc = options.getOrDefault("--jdbc", "jdbc:postgresql://127.0.0.1:5432/kairos_trigger?user=postgres");
        String bootstrap = options.getOrDefault("--bootstrap", "127.0.0.1:9092");
        int triggers = Integer.parseInt(options.getOrDefault("--triggers", "50"));
        int profiles = Integer.parseInt(options.getOrDefault("--profiles", "100000"));
        int rate = Integer.parseInt(options.getOrDefault("--rate", "2000"));
        Duration duration = ConsentBenchmark.duration(options.getOrDefault("--duration", "60s"));
        Duration warmup = ConsentBenchmark.duration(options.getOrDefault("--warmup", "20s"));
        Duration grace = ConsentBenchmark.duration(options.getOrDefault("--grace", "30s"));
        String workspace = "bench-reactions-" + System.currentTimeMillis();

        AtomicLong measuredFrom = new AtomicLong(Long.MAX_VALUE);
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicLong measured = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        Recorder latency = new Recorder(3_600_000L, 3);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService handlers = Executors.newFixedThreadPool(8);
        receiver.setExecutor(handlers);
        receiver.createContext("/hook", exchange -> {
            long now = System.currentTimeMillis();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String firing = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Matcher sent = SENT_AT.matcher(body);
            if (firing != null && sent.find()) {
                long sentAt = Long.parseLong(sent.group(1));
                if (!received.add(firing)) {
                    duplicates.incrementAndGet();
                } else if (sentAt >= measuredFrom.get()) {
                    latency.recordValue(Math.max(0, now - sentAt));
                    measured.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

        boolean complete = false;
        try (Connection database = DriverManager.getConnection(jdbc)) {
            for (int t = 0; t < triggers; t++) {
                createTrigger(database, workspace, t, url);
            }
            System.out.printf("%d triggers in workspace %s; warming up for %s at %,d events/s%n", triggers, workspace,
                    warmup, rate);
            long warmupEvents = (long) rate * warmup.toSeconds();
            long measuredEvents = (long) rate * duration.toSeconds();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer())) {
                produce(producer, workspace, triggers, profiles, rate, 0, warmupEvents, null);
                // The measured round starts once the warm-up's backlog is worked off (a JVM that just started
                // compiles its hot paths for a minute or more on two cores).
                long drained = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (received.size() < warmupEvents && System.nanoTime() < drained) {
                    Thread.sleep(200);
                }
                System.out.printf("warmed up: %,d of %,d warm-up webhooks came%n", received.size(), warmupEvents);
                produce(producer, workspace, triggers, profiles, rate, warmupEvents, measuredEvents, measuredFrom);
            }
            long total = warmupEvents + measuredEvents;
            long deadline = System.nanoTime() + grace.toNanos();
            while (received.size() < total && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Histogram h = latency.getIntervalHistogram();
            System.out.println();
            System.out.printf("trigger-service: event -> webhook request, %d active triggers, %,d events/s%n", triggers, rate);
            System.out.printf("  events measured   %,d over %s (after %s of warm-up)%n", measuredEvents, duration, warmup);
            System.out.printf("  webhooks          %,d of %,d (%.2f%%), duplicates %,d%n", measured.get(), measuredEvents,
                    100.0 * measured.get() / measuredEvents, duplicates.get());
            TimerBenchmark.percentiles("latency", h, " (target: < 100 ms)");
            complete = received.size() == total && duplicates.get() == 0;
        } finally {
            receiver.stop(0);
            handlers.shutdownNow();
            try (Connection database = DriverManager.getConnection(jdbc)) {
                TimerBenchmark.clean(database, workspace);
            }
        }
        System.exit(complete ? 0 : 1);
    }

    /**
     * {@code count} events at {@code rate}, numbered from {@code first}; each names trigger (n mod
     * triggers) and carries the wall-clock time it was written. {@code startedAt} gets the first one's.
     */
    private static void produce(KafkaProducer<String, byte[]> producer, String workspace, int triggers, int profiles,
                                int rate, long first, long count, AtomicLong startedAt) {
        SplittableRandom random = new SplittableRandom(first);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        if (startedAt != null) {
            startedAt.set(System.currentTimeMillis());
        }
        for (long i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            // Paced in millisecond steps: spinning would take one of the machine's two cores from the measured stack.
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(Math.min(due - System.nanoTime(), 1_000_000L));
            }
            long n = first + i;
            String profileId = "p-" + random.nextInt(profiles);
            String messageId = workspace + "-" + n;
            String event = "Bench Event " + (n % triggers);
            long now = System.currentTimeMillis();
            String json = "{\"type\":\"track\",\"event\":\"" + event + "\",\"messageId\":\"" + messageId
                    + "\",\"properties\":{\"sentAtMs\":" + now + ",\"sku\":\"sku-" + random.nextInt(1000)
                    + "\"},\"context\":{\"channel\":\"web\",\"locale\":\"en-US\"}}";
            byte[] raw = EventWire.rawTrack(workspace, messageId, profileId, event, "web", now, json);
            byte[] resolved = EventWire.resolvedTrack(workspace, profileId, raw, "{\"plan\":\"free\"}");
            producer.send(new ProducerRecord<>("kairos.events.resolved", workspace + ":" + profileId, resolved));
        }
        producer.flush();
    }

    private static void createTrigger(Connection database, String workspace, int n, String url) throws Exception {
        String name = "Bench trigger " + n;
        String event = "Bench Event " + n;
        String definition = """
                {"name": "%s", "when": {"event": "%s"}, "respectQuietHours": false,
                 "action": {"channel": "webhook", "purpose": "marketing",
                            "webhook": {"url": "%s", "secret": "bench"},
                            "template": {"body": "Still thinking about {event.properties.sku}?"}}}""".formatted(name, event, url);
        try (PreparedStatement insert = database.prepareStatement("""
                insert into trigger_definition (id, workspace, name, version, definition_json, entry_kind, entry_key,
                                                created_at, updated_at)
                values (?, ?, ?, 1, ?, 'event', ?, now(), now())""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, workspace);
            insert.setString(3, name);
            insert.setString(4, definition);
            insert.setString(5, event);
            insert.executeUpdate();
        }
    }
}
