package io.kairos.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Batch ingestion load against a running gateway: Segment batches to {@code POST /v1/batch}
 * with a write key, throughput and HdrHistogram request latency. Progress goes to stderr,
 * the report to stdout. Run through {@code ./kairos bench gateway}, which starts what it needs.
 */
public final class GatewayBenchmark {

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Figures print the same on every machine.
        Locale.setDefault(Locale.ROOT);
        BenchmarkSettings settings;
        try {
            settings = BenchmarkSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchmarkSettings.USAGE);
            System.exit(2);
            return;
        }
        if (settings == null) {
            System.out.print(BenchmarkSettings.USAGE);
            return;
        }
        String loadBefore = loadAverage();
        Instant startedAt = Instant.now();
        BatchBodies bodies = BatchBodies.generate(settings.batchSize(), settings.eventBytes(), settings.profiles(),
                startedAt, new SplittableRandom());
        System.err.printf("bench: %s to %s, %d connections, %d x %d-byte events per request, %s warm-up + %s%n",
                settings.openLoop() ? "%,.0f events/s".formatted(settings.rate()) : "closed loop",
                settings.batchEndpoint(), settings.connections(), settings.batchSize(), settings.eventBytes(),
                settings.warmup(), settings.duration());
        BatchLoad.Result result = new BatchLoad(settings, bodies, line -> System.err.println("bench: " + line)).run();
        BenchmarkReport.Machine machine = new BenchmarkReport.Machine(Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAverage(), Runtime.version().toString());
        System.out.print(BenchmarkReport.format(settings, bodies.composition(), result, machine, startedAt));
        System.out.flush();
        System.exit(result.eventsAcceptedInWindow() > 0 ? 0 : 1);
    }

    /** The 1, 5 and 15 minute load averages, as uptime prints them. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "%.2f".formatted(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
