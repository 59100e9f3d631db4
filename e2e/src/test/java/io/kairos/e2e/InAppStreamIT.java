package io.kairos.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The real-time channel end to end: a browser, known by its anonymousId, listens on the
 * gateway's /v1/stream; a trigger with an in_app action fires on the visitor's event in
 * trigger-service, which publishes it on kairos.actions; the gateway puts it in the visitor's
 * inbox and onto the open stream.
 */
class InAppStreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Admin admin;
    private final List<EventStream> streams = new ArrayList<>();

    @BeforeAll
    static void startSuite() {
        KairosSuite.start();
        admin = new Admin(Keycloak.token("admin"));
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(EventStream::close);
    }

    @Test
    void aTriggeredInAppMessageArrivesOnTheVisitorsOpenStream() throws IOException {
        String ws = admin.newWorkspace();
        String writeKey = admin.newWriteKey(ws, "web");
        String anonymousId = "anon-" + UUID.randomUUID();

        // The visitor's first page view makes Kairos know it; until then the stream sends it away to retry.
        Admin.ingest(writeKey, "page", Map.of("anonymousId", anonymousId, "name", "Home"))
                .then().statusCode(200).body("success", equalTo(true));
        String url = KairosSuite.GATEWAY + "/v1/stream?writeKey=" + encode(writeKey) + "&anonymousId=" + encode(anonymousId);
        AtomicReference<EventStream> live = new AtomicReference<>();
        // Generous: profile-service may first work through events other tests left on kairos.events.raw.
        await("the visitor's stream listens").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    EventStream stream = EventStream.open(url);
                    streams.add(stream);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !stream.events.isEmpty());
                    if (stream.events.getFirst().comments().contains("connected")) {
                        live.set(stream);
                        return true;
                    }
                    assertThat(stream.events.getFirst().retry()).as("unknown visitor: retry").isEqualTo(5000L);
                    stream.close();
                    return false;
                });
        EventStream stream = live.get();

        String triggerId = admin.post("{ws}/triggers", Map.of(
                        "name", "Viewed product, in the app",
                        "when", Map.of("event", "Product Viewed"),
                        "action", Map.of("channel", "in_app", "purpose", "marketing",
                                "template", Map.of("subject", "Still thinking?",
                                        "body", "{event.properties.name} is waiting for you"))), ws)
                .then().statusCode(201).extract().path("id");

        Admin.ingest(writeKey, "track", Map.of("anonymousId", anonymousId, "event", "Product Viewed",
                "properties", Map.of("name", "Trail shoes"))).then().statusCode(200);

        await("in-app message on the stream").atMost(Duration.ofSeconds(60))
                .until(() -> !stream.messages().isEmpty());
        Event message = stream.messages().getFirst();
        assertThat(message.id()).matches("\\d+-\\d+");
        JsonNode data = JSON.readTree(message.data());
        assertThat(data.path("triggerId").asText()).isEqualTo(triggerId);
        assertThat(data.path("firingId").asText()).isNotBlank();
        assertThat(data.at("/message/subject").asText()).isEqualTo("Still thinking?");
        assertThat(data.at("/message/body").asText()).isEqualTo("Trail shoes is waiting for you");
        assertThat(data.path("firedAt").asText()).isNotBlank();

        // A reconnecting EventSource sends the last id it saw and gets nothing twice.
        EventStream again = EventStream.open(url, "Last-Event-ID", message.id());
        streams.add(again);
        await().atMost(Duration.ofSeconds(10)).until(() -> !again.events.isEmpty());
        assertThat(again.events.getFirst().comments()).containsExactly("connected");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> again.messages().isEmpty());
        assertThat(stream.messages()).hasSize(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** One dispatched block of an event stream. */
    private record Event(String id, String name, String data, Long retry, List<String> comments) {
    }

    /** Reads a server-sent event stream as EventSource parses it, on a thread of its own. */
    private static final class EventStream implements AutoCloseable {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final List<Event> events = new CopyOnWriteArrayList<>();

        static EventStream open(String url, String... headers) {
            EventStream stream = new EventStream();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(15)).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            try {
                HttpResponse<Stream<String>> response = stream.http.send(request.build(),
                        HttpResponse.BodyHandlers.ofLines());
                assertThat(response.statusCode()).as("GET /v1/stream").isEqualTo(200);
                Thread.ofVirtual().start(() -> stream.read(response.body()));
            } catch (IOException e) {
                stream.close();
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                stream.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return stream;
        }

        List<Event> messages() {
            return events.stream().filter(e -> "message".equals(e.name())).toList();
        }

        private void read(Stream<String> body) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            Long retry = null;
            List<String> comments = new ArrayList<>();
            try (body) {
                for (String line : (Iterable<String>) body::iterator) {
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
                    value = value.startsWith(" ") ? value.substring(1) : value;
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
            }
        }

        @Override
        public void close() {
            http.shutdownNow();
        }
    }
}
