package io.kairos.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Reads a server-sent event stream as a browser's EventSource would parse it, on a thread of its
 * own, keeping every event (comment-only ones too). Closing it drops the connection.
 */
public final class SseClient implements AutoCloseable {

    /** One dispatched block of the stream; absent fields are null, comments in order. */
    public record Event(String id, String name, String data, Long retry, List<String> comments) {
    }

    private final HttpClient http;
    private final HttpResponse<Stream<String>> response;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile boolean ended;

    private SseClient(HttpClient http, HttpResponse<Stream<String>> response) {
        this.http = http;
        this.response = response;
        Thread.ofVirtual().name("sse-client").start(this::read);
    }

    /** Connects and returns once the response headers arrived (the server sends them with its first event). */
    public static SseClient connect(String url, Map<String, String> headers) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(15))
                .GET();
        headers.forEach(request::header);
        try {
            return new SseClient(http, http.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            http.shutdownNow();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            http.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The {@code message} events, in order. */
    public List<Event> messages() {
        return events.stream().filter(e -> "message".equals(e.name())).toList();
    }

    /** The server closed the stream. */
    public boolean ended() {
        return ended;
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        Long retry = null;
        List<String> comments = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (id != null || name != null || data != null || retry != null || !comments.isEmpty()) {
                        events.add(new Event(id, name, data == null ? null : data.toString(), retry,
                                List.copyOf(comments)));
                    }
                    id = null;
                    name = null;
                    data = null;
                    retry = null;
                    comments.clear();
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "" -> comments.add(value);
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "retry" -> retry = Long.parseLong(value);
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                        // EventSource ignores unknown fields
                    }
                }
            }
        } catch (RuntimeException dropped) {
            // close() dropped the connection
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
