package io.kairos.bench;

import com.sun.net.httpserver.HttpServer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * trigger-service's timers: {@code --timers} waiting firings (100,000) due evenly within one
 * {@code --window} (60 s), beside {@code --background} firings due a month later (held, never due),
 * all written straight into kairos_trigger.pending_firing as trigger-service writes them. A local
 * HTTP receiver stands in for the provider webhook and notes, per firing, how late it came after its
 * due time (HdrHistogram), duplicates, and when the last one came. consent-service answers each
 * Check as in production. A warm-up round of {@code --warmup} firings (10,000) goes first, unmeasured.
 * The workspace is deleted afterwards.
 */
public final class TimerBenchmark {

    private TimerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Map<String, String> options = ProfileBenchmark.options(args);
        String jdbc = options.getOrDefault("--jdbc", "jdbc:postgresql://127.0.0.1:5432/kairos_trigger?user=postgres");
        int timers = Integer.parseInt(options.getOrDefault("--timers", "100000"));
        int background = Integer.parseInt(options.getOrDefault("--background", "0"));
        Duration window = ConsentBenchmark.duration(options.getOrDefault("--window", "60s"));
        Duration grace = ConsentBenchmark.duration(options.getOrDefault("--grace", "60s"));
        Duration lead = ConsentBenchmark.duration(options.getOrDefault("--lead", "20s"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "10000"));
        String workspace = "bench-timers-" + System.currentTimeMillis();

        Map<String, Long> dueByFiring = new ConcurrentHashMap<>();
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong();
        Recorder lateness = new Recorder(3_600_000L, 3);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        ExecutorService handlers = Executors.newFixedThreadPool(8);
        receiver.setExecutor(handlers);
        receiver.createContext("/hook", exchange -> {
            long now = System.currentTimeMillis();
            exchange.getRequestBody().readAllBytes();
            String firing = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Long due = firing == null ? null : dueByFiring.get(firing);
            if (due != null) {
                if (received.add(firing)) {
                    lateness.recordValue(Math.max(0, now - due));
                    lastArrival.accumulateAndGet(now, Math::max);
                } else {
                    duplicates.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

        UUID trigger = UUID.randomUUID();
        boolean complete = false;
        try (Connection database = DriverManager.getConnection(jdbc)) {
            long seeding = System.nanoTime();
            createTrigger(database, workspace, trigger, url);
            // The waits that stay waiting go in first, so that the due ones are claimed from among them.
            seed(database, workspace, trigger, background, Instant.now().plus(Duration.ofDays(30)), window, null);
            if (warmup > 0) {
                // A warm-up round, not measured: a service just started runs its first firings interpreted.
                seed(database, workspace, trigger, warmup, Instant.now(), Duration.ofSeconds(10), null);
                long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (due(database, workspace) > 0 && System.nanoTime() < until) {
                    Thread.sleep(500);
                }
                System.out.printf("warmed up with %,d firings%n", warmup);
            }
            Instant windowStart = Instant.now().plus(lead);
            seed(database, workspace, trigger, timers, windowStart, window, dueByFiring);
            System.out.printf("seeded %,d firings due in %s from %s, beside %,d due in a month, in %.1f s%n", timers, window,
                    windowStart, background, (System.nanoTime() - seeding) / 1e9);
            if (Instant.now().isAfter(windowStart)) {
                System.out.println("seeding took longer than --lead: the first firings were due before it ended");
            }
            Instant deadline = windowStart.plus(window).plus(grace);
            while (received.size() < timers && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            Histogram h = lateness.getIntervalHistogram();
            Instant windowEnd = windowStart.plus(window);
            System.out.println();
            System.out.println("trigger-service timers (due -> webhook received)");
            System.out.printf("  due               %,d within %s; %,d more waiting, due in a month%n", timers, window, background);
            System.out.printf("  fired             %,d (%.2f%%), duplicates %,d%n", received.size(), 100.0 * received.size() / timers,
                    duplicates.get());
            System.out.printf("  last one          %+.1f s after the window ended (target: within +60 s)%n",
                    (lastArrival.get() - windowEnd.toEpochMilli()) / 1000.0);
            System.out.printf("  rate              %,.0f firings/s over the window%n",
                    received.size() / Math.max(1.0, (lastArrival.get() - windowStart.toEpochMilli()) / 1000.0));
            percentiles("late by", h, "");
            complete = received.size() == timers && duplicates.get() == 0;
        } finally {
            receiver.stop(0);
            handlers.shutdownNow();
            try (Connection database = DriverManager.getConnection(jdbc)) {
                clean(database, workspace);
            }
        }
        System.exit(complete ? 0 : 1);
    }

    private static void createTrigger(Connection database, String workspace, UUID trigger, String url) throws Exception {
        String definition = """
                {"name": "Benchmark timer", "when": {"event": "Benchmark Timer"}, "delay": "PT1H",
                 "respectQuietHours": false,
                 "action": {"channel": "webhook", "purpose": "marketing",
                            "webhook": {"url": "%s", "secret": "bench"}, "template": {"body": "tick"}}}""".formatted(url);
        try (PreparedStatement insert = database.prepareStatement("""
                insert into trigger_definition (id, workspace, name, version, definition_json, entry_kind, entry_key,
                                                created_at, updated_at)
                values (?, ?, 'Benchmark timer', 1, ?, 'event', 'Benchmark Timer', now(), now())""")) {
            insert.setObject(1, trigger);
            insert.setString(2, workspace);
            insert.setString(3, definition);
            insert.executeUpdate();
        }
    }

    /** {@code count} waiting firings due evenly over {@code window} from {@code start}; their dues into {@code dues} when given. */
    private static void seed(Connection database, String workspace, UUID trigger, int count, Instant start, Duration window,
                             Map<String, Long> dues) throws Exception {
        if (count == 0) {
            return;
        }
        String rows = """
                insert into pending_firing (firing_id, wait_key, workspace, trigger_id, profile_id, channel, cause_json,
                                            traits_json, entered_at, due_at, reason)
                select id, id::text, ?, ?, 'p-' || n, 'webhook',
                       jsonb_build_object('kind', 'event', 'messageId', 'bench-' || n, 'type', 'track',
                                          'name', 'Benchmark Timer', 'channel', 'web',
                                          'timestamp', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                          'properties', '{}'::jsonb, 'context', '{}'::jsonb),
                       '{}'::jsonb, now(), ?::timestamptz + (n * ?::bigint / ?) * interval '1 millisecond', 'delay'
                from (select gen_random_uuid() as id, n from generate_series(1, ?) as n) as firings""";
        try (PreparedStatement insert = database.prepareStatement(dues == null ? rows : rows + " returning firing_id, due_at")) {
            insert.setString(1, workspace);
            insert.setObject(2, trigger);
            insert.setTimestamp(3, Timestamp.from(start));
            insert.setLong(4, window.toMillis());
            insert.setLong(5, count);
            insert.setInt(6, count);
            if (dues == null) {
                insert.executeUpdate();
                return;
            }
            try (ResultSet seeded = insert.executeQuery()) {
                while (seeded.next()) {
                    dues.put(seeded.getString(1), seeded.getTimestamp(2).getTime());
                }
            }
        }
    }

    /** The workspace's firings that are due and not gone yet. */
    private static long due(Connection database, String workspace) throws Exception {
        try (PreparedStatement count = database.prepareStatement(
                "select count(*) from pending_firing where workspace = ? and due_at <= now()")) {
            count.setString(1, workspace);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** p50, p90, p99 (with {@code p99Note}), p99.9 and max of {@code h}, in milliseconds. */
    static void percentiles(String label, Histogram h, String p99Note) {
        String name = (label + "            ").substring(0, 12);
        System.out.printf("  %s p50   %,d ms%n", name, h.getValueAtPercentile(50));
        System.out.printf("  %s p90   %,d ms%n", name, h.getValueAtPercentile(90));
        System.out.printf("  %s p99   %,d ms%s%n", name, h.getValueAtPercentile(99), p99Note);
        System.out.printf("  %s p99.9 %,d ms%n", name, h.getValueAtPercentile(99.9));
        System.out.printf("  %s max   %,d ms%n", name, h.getMaxValue());
    }

    /** Deletes the benchmark workspace's waits, deliveries and triggers. */
    static void clean(Connection database, String workspace) throws Exception {
        for (String table : new String[]{"pending_firing", "delivery", "trigger_definition"}) {
            try (PreparedStatement delete = database.prepareStatement("delete from " + table + " where workspace = ?")) {
                delete.setString(1, workspace);
                delete.executeUpdate();
            }
        }
    }
}
