package io.kairos.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import org.HdrHistogram.Histogram;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * consent-service's decision under load: a workspace seeded with many profiles (two ledger records
 * and a location each) straight in PostgreSQL, then {@code Check} over gRPC from a fixed number of
 * concurrent callers for a while, on random profiles, while ledger records are appended in the
 * database at a fixed rate (each one invalidates a cached profile through PostgreSQL's notice).
 * Latency is per call, client-side. Run through {@code ./kairos bench consent}.
 */
public final class ConsentBenchmark {

    private static final String CHECK = "kairos.consent.ConsentService/Check";
    private static final String[] REGIONS = {"CA", "TX", "NY", "FL", "OH", "WA"};
    private static final String[] ZONES = {"America/Los_Angeles", "America/Chicago", "America/New_York",
            "America/New_York", "America/New_York", "America/Los_Angeles"};

    private ConsentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Map<String, String> options = ProfileBenchmark.options(args);
        String jdbc = options.getOrDefault("--jdbc", "jdbc:postgresql://127.0.0.1:5432/kairos_consent?user=postgres");
        int profiles = Integer.parseInt(options.getOrDefault("--profiles", "100000"));
        int callers = Integer.parseInt(options.getOrDefault("--callers", "16"));
        int writesPerSecond = Integer.parseInt(options.getOrDefault("--writes", "100"));
        Duration warmup = duration(options.getOrDefault("--warmup", "15s"));
        Duration duration = duration(options.getOrDefault("--duration", "30s"));
        String workspace = options.getOrDefault("--workspace", "bench-consent-" + System.currentTimeMillis());
        int port = Integer.parseInt(options.getOrDefault("--port", "8084"));

        try (Connection database = DriverManager.getConnection(jdbc)) {
            if (options.containsKey("--clean")) {
                clean(database, options.get("--clean"));
                return;
            }
            long seeding = System.nanoTime();
            seed(database, workspace, profiles);
            System.out.printf("seeded %,d profiles (%,d ledger records) in %.1f s%n", profiles, 2L * profiles,
                    (System.nanoTime() - seeding) / 1e9);
        }

        Vertx vertx = Vertx.vertx();
        GrpcClient client = GrpcClient.client(vertx);
        SocketAddress server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
        try {
            System.out.printf("warming up for %s with %d callers%n", warmup, callers);
            run(client, server, workspace, profiles, callers, warmup, 0, jdbc);
            System.out.printf("measuring for %s with %d callers, %d ledger writes/s%n", duration, callers, writesPerSecond);
            Result result = run(client, server, workspace, profiles, callers, duration, writesPerSecond, jdbc);
            Histogram h = result.latency();
            System.out.println();
            System.out.println("consent-service Check (gRPC, client-side latency)");
            System.out.printf("  profiles          %,d (workspace %s)%n", profiles, workspace);
            System.out.printf("  callers           %d concurrent%n", callers);
            System.out.printf("  checks            %,d in %s = %,.0f checks/s%n", h.getTotalCount(), duration,
                    h.getTotalCount() / (double) duration.toSeconds());
            System.out.printf("  ledger writes     %,d during the run (each invalidates a cached profile)%n", result.writes());
            System.out.printf("  verdicts          %s%n", result.verdicts());
            System.out.printf("  errors            %,d%n", result.errors());
            System.out.printf("  latency p50       %.2f ms%n", h.getValueAtPercentile(50) / 1000.0);
            System.out.printf("  latency p99       %.2f ms%n", h.getValueAtPercentile(99) / 1000.0);
            System.out.printf("  latency p99.9     %.2f ms%n", h.getValueAtPercentile(99.9) / 1000.0);
            System.out.printf("  latency max       %.2f ms%n", h.getMaxValue() / 1000.0);
            if (result.errors() > 0) {
                System.exit(1);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            try (Connection database = DriverManager.getConnection(jdbc)) {
                clean(database, workspace);
            }
        }
    }

    private record Result(Histogram latency, long errors, long writes, String verdicts) {
    }

    private static Result run(GrpcClient client, SocketAddress server, String workspace, int profiles, int callers,
                              Duration duration, int writesPerSecond, String jdbc) throws Exception {
        Histogram latency = new Histogram(60_000_000L, 3);
        AtomicLong errors = new AtomicLong();
        AtomicLong[] verdicts = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(callers);
        for (int c = 0; c < callers; c++) {
            SplittableRandom random = new SplittableRandom(c * 7919L + System.nanoTime());
            call(client, server, workspace, profiles, random, end, latency, errors, verdicts, done);
        }
        long writes = 0;
        if (writesPerSecond > 0) {
            try (Connection database = DriverManager.getConnection(jdbc);
                 PreparedStatement insert = database.prepareStatement("insert into consent_record (workspace, profile_id,"
                         + " purpose, channel, status, source, recorded_at) values (?, ?, 'marketing', 'email', ?, 'bench', now())")) {
                SplittableRandom random = new SplittableRandom(42);
                long interval = 1_000_000_000L / writesPerSecond;
                long next = System.nanoTime();
                while (next < end) {
                    insert.setString(1, workspace);
                    insert.setString(2, "p-" + random.nextInt(profiles));
                    insert.setString(3, random.nextBoolean() ? "granted" : "revoked");
                    insert.executeUpdate();
                    writes++;
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        }
        done.await();
        String summary = String.format("allow %,d, deny %,d, defer %,d", verdicts[1].get(), verdicts[2].get(),
                verdicts[3].get());
        return new Result(latency, errors.get(), writes, summary);
    }

    /** One caller: a Check, then the next as soon as it is answered, until the end. */
    private static void call(GrpcClient client, SocketAddress server, String workspace, int profiles,
                             SplittableRandom random, long end, Histogram latency, AtomicLong errors,
                             AtomicLong[] verdicts, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        String purpose = random.nextBoolean() ? "marketing" : "sale_share";
        String channel = random.nextInt(4) == 0 ? "sms" : "email";
        Buffer request = Buffer.buffer(ConsentWire.checkRequest(workspace, "p-" + random.nextInt(profiles), purpose, channel));
        long start = System.nanoTime();
        client.request(server)
                .compose(call -> {
                    call.fullMethodName(CHECK);
                    call.end(request);
                    return call.response().compose(response -> response.last().map(body -> {
                        if (response.status() != null && response.status() != GrpcStatus.OK) {
                            throw new IllegalStateException("status " + response.status());
                        }
                        return body;
                    }));
                })
                .onComplete(answer -> {
                    synchronized (latency) {
                        latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                    }
                    if (answer.failed()) {
                        errors.incrementAndGet();
                    } else {
                        int verdict = ConsentWire.verdict(answer.result().getBytes());
                        verdicts[verdict >= 0 && verdict < 4 ? verdict : 0].incrementAndGet();
                    }
                    call(client, server, workspace, profiles, random, end, latency, errors, verdicts, done);
                });
    }

    private static void seed(Connection database, String workspace, int profiles) throws Exception {
        database.setAutoCommit(false);
        try (PreparedStatement ledger = database.prepareStatement("""
                insert into consent_record (workspace, profile_id, purpose, channel, status, source, recorded_at)
                select ?, 'p-' || i, p.purpose, p.channel, case when (i + p.n) % 3 = 0 then 'revoked' else 'granted' end,
                       'bench', now() - interval '1 day'
                from generate_series(0, ? - 1) i,
                     (values ('marketing', 'all', 0), ('sale_share', 'all', 1)) p(purpose, channel, n)""");
             PreparedStatement context = database.prepareStatement("""
                insert into profile_context (workspace, profile_id, timezone, country, region, updated_at)
                select ?, 'p-' || i, (?::text[])[i % 6 + 1], 'US', (?::text[])[i % 6 + 1], now()
                from generate_series(0, ? - 1) i""")) {
            ledger.setString(1, workspace);
            ledger.setInt(2, profiles);
            ledger.executeUpdate();
            context.setString(1, workspace);
            context.setArray(2, database.createArrayOf("text", ZONES));
            context.setArray(3, database.createArrayOf("text", REGIONS));
            context.setInt(4, profiles);
            context.executeUpdate();
        }
        database.commit();
        database.setAutoCommit(true);
    }

    private static void clean(Connection database, String workspace) throws Exception {
        try (PreparedStatement ledger = database.prepareStatement("delete from consent_record where workspace = ?");
             PreparedStatement context = database.prepareStatement("delete from profile_context where workspace = ?")) {
            ledger.setString(1, workspace);
            ledger.executeUpdate();
            context.setString(1, workspace);
            context.executeUpdate();
        }
    }

    static Duration duration(String text) {
        return Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
    }
}
