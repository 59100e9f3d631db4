package io.kairos.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives {@code POST /v1/batch} over keep-alive connections from one Vert.x event loop, so
 * every counter below is touched by that thread only and the generator needs about one core
 * at most.
 * <p>
 * Closed loop: each connection sends its next request as soon as the previous one is answered.
 * Open loop: the first half of the warm-up is closed loop (JIT), the second half already runs
 * the schedule (the broker and the gateway settle at the offered rate, not at the closed loop's
 * higher one); requests are due on a fixed schedule whatever the answers, and a request's latency counts from when it was due, so time spent queued behind a
 * slow server is measured rather than hidden (no coordinated omission).
 * <p>
 * A request belongs to the measurement when it was started (closed loop) or due (open loop)
 * in the measured window; throughput counts what was answered inside the window.
 */
final class BatchLoad {

    /** How long answers to requests of the window are waited for after it closed. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final long FAILURE_BACKOFF_MS = 10;

    record Result(Histogram latencyMicros, long requests, long answeredInWindow, long eventsAcceptedInWindow,
                  Map<String, Long> failures, Map<String, String> failureSamples, Duration window) {
    }

    private record Answer(int status, Buffer body) {
    }

    private final BenchmarkSettings settings;
    private final BatchBodies bodies;
    private final RequestOptions request;
    private final Consumer<String> progress;

    private final Histogram latencyMicros = new Histogram(3);
    private final Map<String, Long> failures = new TreeMap<>();
    private final Map<String, String> failureSamples = new TreeMap<>();
    /** When each unanswered request started or was due, by its number. */
    private final Map<Long, Long> pending = new HashMap<>();
    private long requests;
    private long answeredInWindow;
    private long eventsAcceptedInWindow;
    private long sent;
    private long acceptedSinceProgress;
    private boolean stopped;

    private Vertx vertx;
    private HttpClient client;
    private long startNanos;
    private long windowStartNanos;
    /** Open loop: when the schedule starts, halfway through the warm-up. */
    private long scheduleStartNanos;
    private long windowEndNanos;
    private final CompletableFuture<Result> done = new CompletableFuture<>();

    BatchLoad(BenchmarkSettings settings, BatchBodies bodies, Consumer<String> progress) {
        this.settings = settings;
        this.bodies = bodies;
        this.progress = progress;
        URI endpoint = settings.batchEndpoint();
        String credentials = Base64.getEncoder().encodeToString((settings.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        this.request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(endpoint.toString())
                .putHeader("Content-Type", "application/json")
                .putHeader("Authorization", "Basic " + credentials)
                // Longer than the gateway's Kafka ack timeout, so its 503 arrives before ours.
                .setIdleTimeout(GRACE.toMillis());
    }

    Result run() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setPreferNativeTransport(false));
        try {
            Context context = vertx.getOrCreateContext();
            context.runOnContext(ignored -> start());
            long limit = settings.warmup().plus(settings.duration()).plus(GRACE).plusSeconds(30).toMillis();
            return done.get(limit, TimeUnit.MILLISECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void start() {
        client = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setPipelining(false)
                        .setTcpNoDelay(true)
                        .setConnectTimeout(5_000)
                        .setSsl(settings.url().getScheme().equals("https")),
                new PoolOptions().setHttp1MaxSize(settings.connections()).setMaxWaitQueueSize(-1));
        startNanos = System.nanoTime();
        windowStartNanos = startNanos + settings.warmup().toNanos();
        windowEndNanos = windowStartNanos + settings.duration().toNanos();
        scheduleStartNanos = startNanos + settings.warmup().toNanos() / 2;
        vertx.setTimer(Math.max(1, (windowEndNanos - startNanos) / 1_000_000), ignored -> stop());
        vertx.setPeriodic(PROGRESS_EVERY.toMillis(), ignored -> reportProgress());
        if (!settings.openLoop() || !settings.warmup().isZero()) {
            for (int i = 0; i < settings.connections(); i++) {
                send(System.nanoTime(), true);
            }
        }
        if (settings.openLoop()) {
            // Not from the start: a backlog built while the gateway's JIT was still warming up would
            // otherwise be measured as the offered rate's latency.
            vertx.setTimer(Math.max(1, (scheduleStartNanos - startNanos) / 1_000_000), ignored -> schedule());
        }
    }

    private void schedule() {
        double intervalNanos = 1e9 * bodies.batchSize() / settings.rate();
        long[] due = {0};
        vertx.setPeriodic(1, timer -> {
            long now = System.nanoTime();
            while (!stopped) {
                long dueNanos = scheduleStartNanos + (long) (due[0] * intervalNanos);
                if (dueNanos > now || dueNanos >= windowEndNanos) {
                    break;
                }
                due[0]++;
                send(dueNanos, false);
            }
        });
    }

    /** Closed-loop requests keep coming until the end, or in open loop until the schedule starts. */
    private boolean closedLoopGoesOn() {
        return !stopped && (!settings.openLoop() || System.nanoTime() < scheduleStartNanos);
    }

    /** {@code fromNanos}: when the request started (closed loop) or was due (open loop). */
    private void send(long fromNanos, boolean closedLoop) {
        long number = sent++;
        pending.put(number, fromNanos);
        client.request(request)
                // The body is made once a connection is free: a queue of late requests holds no bodies.
                .compose(outgoing -> outgoing.send(Buffer.buffer(bodies.body(number))))
                .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), answer)))
                .onComplete(answer -> {
                    pending.remove(number);
                    answered(fromNanos, answer);
                    if (closedLoop && closedLoopGoesOn()) {
                        if (answer.succeeded()) {
                            send(System.nanoTime(), true);
                        } else {
                            vertx.setTimer(FAILURE_BACKOFF_MS, ignored -> {
                                if (closedLoopGoesOn()) {
                                    send(System.nanoTime(), true);
                                }
                            });
                        }
                    }
                });
    }

    private void answered(long fromNanos, AsyncResult<Answer> answer) {
        long now = System.nanoTime();
        boolean ok = answer.succeeded() && answer.result().status() == 200;
        if (ok) {
            acceptedSinceProgress += bodies.batchSize();
        }
        if (now >= windowStartNanos && now < windowEndNanos) {
            answeredInWindow++;
            if (ok) {
                eventsAcceptedInWindow += bodies.batchSize();
            }
        }
        if (fromNanos >= windowStartNanos && fromNanos < windowEndNanos) {
            requests++;
            latencyMicros.recordValue(Math.max(0, (now - fromNanos) / 1_000));
            if (!ok) {
                if (answer.succeeded()) {
                    failed("HTTP " + answer.result().status(), answer.result().body().toString(StandardCharsets.UTF_8));
                } else {
                    failed(answer.cause().getClass().getSimpleName(), String.valueOf(answer.cause().getMessage()));
                }
            }
        }
        if (stopped && pending.isEmpty()) {
            finish();
        }
    }

    private void failed(String kind, String sample) {
        failures.merge(kind, 1L, Long::sum);
        failureSamples.putIfAbsent(kind, sample.length() > 300 ? sample.substring(0, 300) + "..." : sample);
    }

    private void stop() {
        stopped = true;
        if (pending.isEmpty()) {
            finish();
            return;
        }
        vertx.setTimer(GRACE.toMillis(), ignored -> finish());
    }

    /** Requests of the window still unanswered count as failed, with their wait so far as latency. */
    private void finish() {
        if (done.isDone()) {
            return;
        }
        long now = System.nanoTime();
        for (long fromNanos : pending.values()) {
            if (fromNanos >= windowStartNanos && fromNanos < windowEndNanos) {
                requests++;
                latencyMicros.recordValue((now - fromNanos) / 1_000);
                failed("no answer", "none within " + GRACE.toSeconds() + "s after the end of the run");
            }
        }
        client.close();
        done.complete(new Result(latencyMicros.copy(), requests, answeredInWindow, eventsAcceptedInWindow,
                Map.copyOf(failures), Map.copyOf(failureSamples), settings.duration()));
    }

    private void reportProgress() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        double seconds = PROGRESS_EVERY.toMillis() / 1000.0;
        String phase = now < windowStartNanos ? "warm-up" : "measuring";
        progress.accept("%s %4ds  %,9.0f events/s accepted  %,d in flight  %,d failed".formatted(phase,
                (now - startNanos) / 1_000_000_000L, acceptedSinceProgress / seconds, pending.size(),
                failures.values().stream().mapToLong(Long::longValue).sum()));
        acceptedSinceProgress = 0;
    }
}
