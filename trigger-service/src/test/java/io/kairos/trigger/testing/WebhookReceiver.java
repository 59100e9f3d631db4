package io.kairos.trigger.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for an email/SMS provider: a local HTTP endpoint recording every request.
 * {@code /send} accepts (202); {@code /flaky} answers 503 to the first request of each
 * Idempotency-Key, then 202; {@code /down} always answers 500.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it came, and when. */
    public record Received(String path, String idempotencyKey, String signature, String contentType, byte[] body,
                           JsonNode json, Instant at, Map<String, String> headers) {

        /** The body as text: a form-encoded request has no JSON. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> seenByFlaky = ConcurrentHashMap.newKeySet();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
            JsonNode json = contentType != null && contentType.startsWith("application/json")
                    ? JSON.readTree(body) : JSON.missingNode();
            received.add(new Received(path, key, exchange.getRequestHeaders().getFirst("X-Kairos-Signature"),
                    contentType, body, json, Instant.now(), headers));
            int status = switch (path) {
                case "/send" -> 202;
                case "/flaky" -> seenByFlaky.add(key) ? 503 : 202;
                default -> 500;
            };
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The requests that carried this Idempotency-Key (a firing id). */
    public List<Received> forKey(String idempotencyKey) {
        return received.stream().filter(r -> idempotencyKey.equals(r.idempotencyKey())).toList();
    }

    /** The requests to this path. */
    public List<Received> at(String path) {
        return received.stream().filter(r -> path.equals(r.path())).toList();
    }

    public List<Received> forTrigger(String triggerId) {
        return received.stream().filter(r -> triggerId.equals(r.json().path("triggerId").asText())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
