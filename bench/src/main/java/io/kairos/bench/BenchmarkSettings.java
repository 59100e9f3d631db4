package io.kairos.bench;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What one gateway benchmark run does, from its command line.
 *
 * @param rate events per second in open-loop mode; 0 means closed loop (one request in flight per connection)
 */
record BenchmarkSettings(URI url, String writeKey, Duration duration, Duration warmup, int connections,
                         int batchSize, int eventBytes, int profiles, double rate, String label) {

    static final String USAGE = """
            usage: GatewayBenchmark --write-key KEY [options]
              --url URL            gateway base URL (default http://127.0.0.1:8080); posts to <URL>/v1/batch
              --write-key KEY      write key of the source the events are sent to (required)
              --duration D         measured time after the warm-up, e.g. 60s, 2m, PT90S (default 60s)
              --warmup D           load before measuring, not counted (default 15s)
              --connections N      keep-alive connections; in closed loop also the requests in flight (default 8)
              --batch-size N       events per request (default 100)
              --event-bytes N      encoded size of each event in bytes (default 1024)
              --profiles N         distinct anonymousIds the events are spread over (default 100000)
              --rate R             open loop: offer R events/s on a fixed schedule from halfway through the warm-up
                                   and measure latency from each request's due time (default: closed loop)
              --label TEXT         free text printed in the report (e.g. the commit measured); repeatable
            """;

    BenchmarkSettings {
        require(url.getScheme() != null && url.getHost() != null
                && (url.getScheme().equals("http") || url.getScheme().equals("https")), "--url must be an http(s) URL");
        require(writeKey != null && !writeKey.isBlank(), "--write-key is required");
        require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
        require(!warmup.isNegative(), "--warmup must not be negative");
        require(connections >= 1 && connections <= 1024, "--connections must be between 1 and 1024");
        // The gateway refuses batches of more than 2500 messages or 500 KB.
        require(batchSize >= 1 && batchSize <= 2500, "--batch-size must be between 1 and 2500");
        require(eventBytes >= 64 && eventBytes <= 32768, "--event-bytes must be between 64 and 32768");
        require(profiles >= 1, "--profiles must be at least 1");
        require(rate >= 0 && Double.isFinite(rate), "--rate must be a positive number of events per second");
    }

    boolean openLoop() {
        return rate > 0;
    }

    URI batchEndpoint() {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/batch");
    }

    /** Null when only the usage was asked for. */
    static BenchmarkSettings parse(String... args) {
        URI url = URI.create("http://127.0.0.1:8080");
        String writeKey = null;
        Duration duration = Duration.ofSeconds(60);
        Duration warmup = Duration.ofSeconds(15);
        int connections = 8;
        int batchSize = 100;
        int eventBytes = 1024;
        int profiles = 100_000;
        double rate = 0;
        String label = "";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            String name = arg;
            String value;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else {
                require(arg.startsWith("--"), "unexpected argument '" + arg + "'");
                require(i + 1 < args.length, arg + " needs a value");
                value = args[++i];
            }
            switch (name) {
                case "--url" -> url = URI.create(value);
                case "--write-key" -> writeKey = value;
                case "--duration" -> duration = duration(name, value);
                case "--warmup" -> warmup = duration(name, value);
                case "--connections" -> connections = integer(name, value);
                case "--batch-size" -> batchSize = integer(name, value);
                case "--event-bytes" -> eventBytes = integer(name, value);
                case "--profiles" -> profiles = integer(name, value);
                case "--rate" -> rate = number(name, value);
                case "--label" -> label = label.isEmpty() ? value : label + "; " + value;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new BenchmarkSettings(url, writeKey, duration, warmup, connections, batchSize, eventBytes, profiles,
                rate, label);
    }

    /** 60s, 500ms, 2m, 1h, a plain number of seconds, or ISO-8601 (PT1M). */
    static Duration duration(String option, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long unit = switch (value.charAt(value.length() - 1)) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                default -> 0;
            };
            return unit == 0
                    ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * unit);
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(option + " must be a duration like 60s, 500ms, 2m or PT1M, got '" + text + "'");
        }
    }

    private static int integer(String option, String text) {
        try {
            return Integer.parseInt(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + text + "'");
        }
    }

    private static double number(String option, String text) {
        try {
            return Double.parseDouble(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got '" + text + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
