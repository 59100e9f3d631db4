package io.kairos.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The five packaged services, started once per test JVM as real processes against the
 * stack that {@code ./kairos test} brought up, and stopped when the JVM exits.
 */
final class KairosSuite {

    /** Module -> port; started in this order so callees are up before their callers. */
    static final Map<String, Integer> SERVICES = new LinkedHashMap<>();
    static {
        SERVICES.put("consent-service", 8084);
        SERVICES.put("profile-service", 8081);
        SERVICES.put("segment-service", 8082);
        SERVICES.put("trigger-service", 8083);
        SERVICES.put("gateway", 8080);
    }

    static final String GATEWAY = "http://127.0.0.1:8080";
    static final String KEYCLOAK = System.getenv().getOrDefault("KAIROS_KEYCLOAK_URL", "http://127.0.0.1:8180");

    private static KairosSuite running;
    private final List<Process> processes = new ArrayList<>();

    static synchronized KairosSuite start() {
        if (running == null) {
            running = new KairosSuite();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop));
            running.launch();
        }
        return running;
    }

    private void launch() {
        Path root = Path.of(System.getProperty("kairos.root", ".."));
        Path logs = root.resolve("e2e/target/services");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (var service : SERVICES.entrySet()) {
            assertPortFree(service.getValue(), service.getKey());
            Path jar = root.resolve(service.getKey()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: the reactor packages every service before e2e");
            }
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(service.getKey() + ".log").toFile());
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(service.getValue()));
            // Retention passes every few seconds instead of hourly, so that a test sees them work.
            builder.environment().put("KAIROS_RETENTION_EVERY", "2s");
            builder.environment().put("KAIROS_RETENTION_FIRST_AFTER", "2s");
            try {
                processes.add(builder.start());
            } catch (IOException e) {
                throw new IllegalStateException("could not start " + service.getKey(), e);
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        for (var service : SERVICES.entrySet()) {
            await("%s ready (log: e2e/target/services/%s.log)".formatted(service.getKey(), service.getKey()))
                    .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + service.getValue() + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }
    }

    private static void assertPortFree(int port, String service) {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            throw new IllegalStateException("port " + port + " (" + service + ") is taken: stop `./kairos up` first");
        } catch (IOException free) {
            // nothing listens: good
        }
    }

    private void stop() {
        for (Process p : processes.reversed()) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static File logOf(String service) {
        return Path.of(System.getProperty("kairos.root", "..")).resolve("e2e/target/services/" + service + ".log").toFile();
    }
}
