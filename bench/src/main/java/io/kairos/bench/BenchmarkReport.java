package io.kairos.bench;

import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Collectors;

/** The printed figures of one run, with every setting needed to repeat it. */
final class BenchmarkReport {

    static final double TARGET_EVENTS_PER_SECOND = 30_000;
    static final double TARGET_P99_MILLIS = 50;

    /** Where the run happened: cores and load average (1, 5, 15 min) before and after. */
    record Machine(int cores, String loadBefore, String loadAfter, String java) {
    }

    private BenchmarkReport() {
    }

    static String format(BenchmarkSettings settings, BatchBodies.Composition mix, BatchLoad.Result result,
                         Machine machine, Instant startedAt) {
        double seconds = result.window().toNanos() / 1e9;
        double eventsPerSecond = result.eventsAcceptedInWindow() / seconds;
        double requestsPerSecond = result.answeredInWindow() / seconds;
        Histogram latency = result.latencyMicros();
        long failed = result.failures().values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder();
        out.append("Kairos gateway ingestion benchmark (POST /v1/batch)\n");
        line(out, "started", startedAt.truncatedTo(ChronoUnit.SECONDS) + (settings.label().isBlank() ? "" : "   " + settings.label()));
        line(out, "endpoint", settings.batchEndpoint().toString());
        line(out, "mode", settings.openLoop()
                ? "open loop: %,.0f events/s offered (%,.1f requests/s on a fixed schedule from halfway through the warm-up, closed loop before); latency from each request's due time"
                .formatted(settings.rate(), settings.rate() / settings.batchSize())
                : "closed loop: %d requests in flight, one per connection".formatted(settings.connections()));
        line(out, "connections", settings.connections() + " keep-alive (HTTP/1.1)");
        line(out, "batch size", "%d events per request, %,d bytes per body on average"
                .formatted(settings.batchSize(), mix.meanBodyBytes()));
        line(out, "event size", "%,d bytes requested; encoded %,.0f on average (min %,d, max %,d)"
                .formatted(settings.eventBytes(), mix.meanEventBytes(), mix.minEventBytes(), mix.maxEventBytes()));
        line(out, "events", "%d pre-encoded bodies with fresh messageIds per request; anonymousIds over %,d profiles"
                .formatted(BatchBodies.TEMPLATES, settings.profiles()));
        line(out, "mix", shares(mix.labels()));
        line(out, "channels", shares(mix.channels()));
        line(out, "duration", "%s measured after %s warm-up".formatted(human(result.window().toMillis()),
                human(settings.warmup().toMillis())));
        line(out, "machine", "%d cores; load average %s at start, %s at end; Java %s"
                .formatted(machine.cores(), machine.loadBefore(), machine.loadAfter(), machine.java()));
        out.append("\nThroughput (answered inside the measured window)\n");
        line(out, "events/s", "%,.0f accepted (HTTP 200)".formatted(eventsPerSecond));
        line(out, "requests/s", "%,.1f answered".formatted(requestsPerSecond));
        line(out, "ingress", "%,.1f MB/s of request bodies".formatted(requestsPerSecond * mix.meanBodyBytes() / 1e6));
        out.append("\nRequest latency, ms (%,d requests %s in the window, failures included)\n".formatted(
                result.requests(), settings.openLoop() ? "due" : "started"));
        out.append("  %-10s %-10s %-10s %-10s %-10s %-10s\n".formatted("p50", "p90", "p99", "p99.9", "max", "mean"));
        out.append("  %-10s %-10s %-10s %-10s %-10s %-10s\n".formatted(
                millis(latency.getValueAtPercentile(50)), millis(latency.getValueAtPercentile(90)),
                millis(latency.getValueAtPercentile(99)), millis(latency.getValueAtPercentile(99.9)),
                millis(latency.getMaxValue()), millis(latency.getMean())));
        out.append("\nFailed requests by HTTP status (or transport error)\n");
        if (result.failures().isEmpty()) {
            out.append("  none\n");
        } else {
            result.failures().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(failure ->
                    out.append("  %-12s %,d   e.g. %s\n".formatted(failure.getKey(), failure.getValue(),
                            result.failureSamples().get(failure.getKey()).replaceAll("\\s+", " "))));
        }
        double p99 = latency.getValueAtPercentile(99) / 1000.0;
        boolean met = eventsPerSecond >= TARGET_EVENTS_PER_SECOND && p99 < TARGET_P99_MILLIS && failed == 0
                && result.requests() > 0;
        out.append("\nTarget: >= %,.0f events/s at p99 < %.0f ms with no failed request: %s\n".formatted(
                TARGET_EVENTS_PER_SECOND, TARGET_P99_MILLIS, met ? "MET" : "NOT MET"));
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append("  %-12s %s\n".formatted(name, value));
    }

    private static String shares(Map<String, Integer> counts) {
        double total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(entry -> "%s %.0f%%".formatted(entry.getKey(), 100 * entry.getValue() / total))
                .collect(Collectors.joining(", "));
    }

    private static String millis(double micros) {
        return "%.2f".formatted(micros / 1000.0);
    }

    private static String human(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
