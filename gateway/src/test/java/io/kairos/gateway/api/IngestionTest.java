package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.api.events.RawEvent;
import io.kairos.gateway.AdminApi;
import io.kairos.gateway.Keycloak;
import io.kairos.gateway.OtherServicesDown;
import io.kairos.gateway.RawEventTap;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class IngestionTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private AdminApi.Source source;
    private RawEventTap tap;

    @BeforeEach
    void setUp() {
        source = AdminApi.newWorkspaceWithSource();
        tap = new RawEventTap();
    }

    @AfterEach
    void tearDown() {
        tap.close();
    }

    @Test
    void an_identify_is_acknowledged_and_lands_on_the_raw_topic_intact() throws IOException {
        withKey().header("Sec-GPC", "1").contentType(ContentType.JSON)
                .body("""
                        {"userId": "u-1", "anonymousId": "a-1",
                         "traits": {"email": "jane@example.com", "price": 19.990, "big": 123456789012345678901234567890},
                         "context": {"locale": "de-DE", "timezone": "Europe/Berlin"}}""")
                .post("/v1/identify")
                .then().statusCode(200).body("success", equalTo(true));

        RawEventTap.Received received = awaitEvents(1).getFirst();
        RawEvent event = received.event();
        assertThat(received.key()).isEqualTo(source.workspace() + ":u-1");
        assertThat(event.getWorkspace()).isEqualTo(source.workspace());
        assertThat(event.getSourceId()).isEqualTo(source.id());
        assertThat(event.getType()).isEqualTo("identify");
        assertThat(event.getUserId()).isEqualTo("u-1");
        assertThat(event.getAnonymousId()).isEqualTo("a-1");
        assertThat(event.getChannel()).isEqualTo("web");
        assertThat(UUID.fromString(event.getMessageId())).isNotNull();
        assertThat(event.getTimestampMs()).isEqualTo(event.getReceivedAtMs());
        assertThat(Instant.ofEpochMilli(event.getReceivedAtMs())).isBetween(Instant.now().minusSeconds(60), Instant.now());

        assertThat(event.getPayloadJson().toStringUtf8()).contains("\"price\":19.990");
        JsonNode payload = JSON.readTree(event.getPayloadJson().toByteArray());
        assertThat(payload.path("type").asText()).isEqualTo("identify");
        assertThat(payload.path("messageId").asText()).isEqualTo(event.getMessageId());
        assertThat(payload.path("traits").path("email").asText()).isEqualTo("jane@example.com");
        assertThat(payload.path("traits").path("price").decimalValue()).isEqualByComparingTo(new BigDecimal("19.990"));
        assertThat(payload.path("traits").path("big").bigIntegerValue().toString())
                .isEqualTo("123456789012345678901234567890");
        assertThat(payload.path("context").path("locale").asText()).isEqualTo("de-DE");
        assertThat(payload.path("context").path("channel").asText()).isEqualTo("web");
        assertThat(payload.path("context").path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(payload.path("context").path("gpc").asBoolean()).isTrue();
        assertThat(Instant.parse(payload.path("receivedAt").asText()).toEpochMilli()).isEqualTo(event.getReceivedAtMs());
        assertThat(Instant.parse(payload.path("timestamp").asText()).toEpochMilli()).isEqualTo(event.getTimestampMs());
    }

    @Test
    void analytics_js_style_track_with_the_key_in_the_body_is_skew_corrected() throws IOException {
        Instant deviceNow = Instant.now().minus(Duration.ofHours(1));
        String messageId = "m-" + UUID.randomUUID();
        given().contentType("text/plain")
                .body(JSON.writeValueAsString(Map.of(
                        "writeKey", source.writeKey(),
                        "messageId", messageId,
                        "userId", "u-2",
                        "event", "Order Completed",
                        "properties", Map.of("revenue", 42, "currency", "EUR"),
                        "context", Map.of("channel", "mobile", "ip", "198.51.100.7"),
                        "timestamp", deviceNow.minusSeconds(5).toString(),
                        "sentAt", deviceNow.toString())))
                .post("/v1/t")
                .then().statusCode(200).body("success", equalTo(true));

        RawEvent event = awaitEvents(1).getFirst().event();
        assertThat(event.getType()).isEqualTo("track");
        assertThat(event.getEvent()).isEqualTo("Order Completed");
        assertThat(event.getMessageId()).isEqualTo(messageId);
        assertThat(event.getChannel()).isEqualTo("mobile");
        assertThat(event.getReceivedAtMs() - event.getTimestampMs()).isEqualTo(5000);

        JsonNode payload = JSON.readTree(event.getPayloadJson().toByteArray());
        assertThat(payload.has("writeKey")).isFalse();
        assertThat(payload.path("originalTimestamp").asText()).isEqualTo(deviceNow.minusSeconds(5).toString());
        assertThat(payload.path("context").path("ip").asText()).isEqualTo("198.51.100.7");
        assertThat(payload.path("properties").path("revenue").asInt()).isEqualTo(42);
    }

    @Test
    void a_batch_of_every_type_lands_whole_and_in_order_per_person() {
        withKey().contentType(ContentType.JSON)
                .body("""
                        {"batch": [
                          {"type": "identify", "userId": "u-3", "traits": {"plan": "pro"}},
                          {"type": "track", "userId": "u-3", "event": "Product Viewed"},
                          {"type": "page", "anonymousId": "a-3", "name": "Pricing"},
                          {"type": "screen", "userId": "u-3", "name": "Cart"},
                          {"type": "group", "userId": "u-3", "groupId": "g-1"},
                          {"type": "alias", "previousId": "a-3", "userId": "u-3"}]}""")
                .post("/v1/batch")
                .then().statusCode(200).body("success", equalTo(true));

        List<RawEventTap.Received> received = awaitEvents(6);
        List<RawEvent> ofU3 = received.stream().filter(r -> r.key().equals(source.workspace() + ":u-3"))
                .map(RawEventTap.Received::event).toList();
        assertThat(ofU3).extracting(RawEvent::getType).containsExactly("identify", "track", "screen", "group", "alias");
        assertThat(ofU3.get(1).getEvent()).isEqualTo("Product Viewed");
        assertThat(ofU3.get(2).getEvent()).isEqualTo("Cart");
        assertThat(ofU3.get(3).getGroupId()).isEqualTo("g-1");
        assertThat(ofU3.get(4).getPreviousId()).isEqualTo("a-3");
        RawEvent page = received.stream().filter(r -> r.key().equals(source.workspace() + ":a-3"))
                .map(RawEventTap.Received::event).findFirst().orElseThrow();
        assertThat(page.getType()).isEqualTo("page");
        assertThat(page.getEvent()).isEqualTo("Pricing");
    }

    @Test
    void malformed_json_is_a_400_problem() {
        withKey().contentType(ContentType.JSON).body("{\"userId\": \"u\", ")
                .post("/v1/identify")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("reason", equalTo("MALFORMED_JSON"))
                .body("type", equalTo("https://kairos.io/problems/malformed-json"))
                .body("title", equalTo("Invalid request"));
        withKey().contentType(ContentType.JSON).body("[{\"userId\": \"u\"}]")
                .post("/v1/identify")
                .then().statusCode(400).body("reason", equalTo("NOT_AN_OBJECT"));
    }

    @Test
    void a_missing_unknown_or_revoked_write_key_is_a_401() {
        String body = "{\"userId\": \"u-4\", \"event\": \"x\"}";
        given().contentType(ContentType.JSON).body(body).post("/v1/track")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Basic"))
                .body("reason", equalTo("WRITE_KEY_REQUIRED"));
        given().auth().preemptive().basic("not-a-key-" + UUID.randomUUID(), "").contentType(ContentType.JSON)
                .body(body).post("/v1/track")
                .then().statusCode(401).body("reason", equalTo("INVALID_WRITE_KEY"));
        given().contentType(ContentType.JSON).body("{\"writeKey\": \"nope\", \"userId\": \"u-4\", \"event\": \"x\"}")
                .post("/v1/track")
                .then().statusCode(401).body("reason", equalTo("INVALID_WRITE_KEY"));
        given().header("Authorization", "Bearer " + source.writeKey()).contentType(ContentType.JSON).body(body)
                .post("/v1/track")
                .then().statusCode(401).body("reason", equalTo("UNSUPPORTED_AUTHORIZATION"));

        withKey().contentType(ContentType.JSON).body(body).post("/v1/track").then().statusCode(200);
        given().auth().oauth2(Keycloak.token("admin"))
                .delete("/api/v1/workspaces/{ws}/sources/{id}", source.workspace(), source.id())
                .then().statusCode(204);
        withKey().contentType(ContentType.JSON).body(body).post("/v1/track")
                .then().statusCode(401).body("reason", equalTo("INVALID_WRITE_KEY"));
    }

    @Test
    void a_message_without_identity_or_with_a_bad_timestamp_is_a_400_naming_the_field() {
        withKey().contentType(ContentType.JSON).body("{\"event\": \"x\", \"properties\": {}}")
                .post("/v1/track")
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("IDENTITY_REQUIRED"))
                .body("field", equalTo("/userId"));
        withKey().contentType(ContentType.JSON).body("{\"userId\": \"u\", \"event\": \"x\", \"timestamp\": \"today\"}")
                .post("/v1/track")
                .then().statusCode(400)
                .body("reason", equalTo("INVALID_TIMESTAMP"))
                .body("field", equalTo("/timestamp"));
        withKey().contentType(ContentType.JSON).body("{\"userId\": \"u\"}")
                .post("/v1/alias")
                .then().statusCode(400).body("reason", equalTo("PREVIOUS_ID_REQUIRED"));
    }

    @Test
    void an_oversized_event_or_batch_is_refused_and_nothing_is_produced() {
        String bigEvent = "{\"userId\": \"u-5\", \"event\": \"x\", \"properties\": {\"blob\": \"" + "x".repeat(33_000) + "\"}}";
        withKey().contentType(ContentType.JSON).body(bigEvent).post("/v1/track")
                .then().statusCode(400).body("reason", equalTo("EVENT_TOO_LARGE"));

        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 260; i++) {
            messages.add("{\"type\": \"track\", \"userId\": \"u-5\", \"event\": \"e\", \"properties\": {\"pad\": \""
                    + "p".repeat(2000) + "\"}}");
        }
        withKey().contentType(ContentType.JSON).body("{\"batch\": [" + String.join(",", messages) + "]}")
                .post("/v1/batch")
                .then().statusCode(400).body("reason", equalTo("BATCH_TOO_LARGE"));

        withKey().contentType(ContentType.JSON)
                .body("{\"batch\": [{\"type\": \"identify\", \"userId\": \"u-5\"}, " + bigEvent.replace("{\"userId\"",
                        "{\"type\": \"track\", \"userId\"") + "]}")
                .post("/v1/batch")
                .then().statusCode(400)
                .body("reason", equalTo("EVENT_TOO_LARGE"))
                .body("field", equalTo("/batch/1"));

        assertOnlySentinelArrives("u-5");
    }

    @Test
    void a_gzipped_batch_is_accepted_as_segment_libraries_send_it() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write("""
                    {"batch": [{"type": "track", "userId": "u-7", "event": "Zipped", "properties": {"n": 1}},
                               {"type": "identify", "userId": "u-7", "traits": {"plan": "gold"}}]}"""
                    .getBytes(StandardCharsets.UTF_8));
        }
        withKey().contentType(ContentType.JSON).header("Content-Encoding", "gzip").body(zipped.toByteArray())
                .post("/v1/batch")
                .then().statusCode(200).body("success", equalTo(true));

        assertThat(awaitEvents(2)).extracting(r -> r.event().getType()).containsExactly("track", "identify");
    }

    @Test
    void a_batch_of_more_messages_than_allowed_is_refused_naming_the_limit() {
        String message = "{\"type\": \"track\", \"userId\": \"u-8\", \"event\": \"e\"}";
        withKey().contentType(ContentType.JSON)
                .body("{\"batch\": [" + String.join(",", Collections.nCopies(2501, message)) + "]}")
                .post("/v1/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("BATCH_TOO_MANY_MESSAGES"))
                .body("field", equalTo("/batch"))
                .body("detail", containsString("2500"));

        assertOnlySentinelArrives("u-8");
    }

    @Test
    void a_batch_with_one_bad_message_is_refused_whole() {
        withKey().contentType(ContentType.JSON)
                .body("""
                        {"batch": [
                          {"type": "identify", "userId": "u-6", "traits": {"plan": "pro"}},
                          {"type": "track", "userId": "u-6", "event": "Product Viewed"},
                          {"type": "track", "event": "Order Completed"},
                          {"type": "track", "userId": "u-6", "event": "Checkout"}]}""")
                .post("/v1/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("IDENTITY_REQUIRED"))
                .body("field", equalTo("/batch/2/userId"));

        assertOnlySentinelArrives("u-6");
    }

    /**
     * Sends one valid message for the same person (so the same partition) after the refused
     * ones: once it arrived, anything produced before it would have arrived too.
     */
    private void assertOnlySentinelArrives(String userId) {
        withKey().contentType(ContentType.JSON)
                .body("{\"userId\": \"" + userId + "\", \"event\": \"Sentinel\"}")
                .post("/v1/track")
                .then().statusCode(200);
        List<RawEventTap.Received> received = awaitEvents(1);
        assertThat(received).extracting(r -> r.event().getEvent()).containsExactly("Sentinel");
    }

    private List<RawEventTap.Received> awaitEvents(int count) {
        await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(50))
                .until(() -> tap.of(source.workspace()).size() >= count);
        // Anything more would show up right behind: give it one more poll.
        return tap.of(source.workspace());
    }

    private RequestSpecification withKey() {
        return given().auth().preemptive().basic(source.writeKey(), "");
    }
}
