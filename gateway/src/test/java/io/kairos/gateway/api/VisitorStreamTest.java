package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.api.events.Action;
import io.kairos.gateway.ActionTopic;
import io.kairos.gateway.AdminApi;
import io.kairos.gateway.OtherServicesDown;
import io.kairos.gateway.SseClient;
import io.kairos.gateway.VisitorDirectory;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * GET /v1/stream against real Kafka (kairos.actions, as trigger-service writes it) and Redis;
 * profile-service's LookupProfile is played by {@link VisitorDirectory}.
 */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = VisitorDirectory.class, scope = TestResourceScope.MATCHING_RESOURCES)
class VisitorStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @Inject
    RedisDataSource redis;

    private final List<SseClient> clients = new ArrayList<>();
    private AdminApi.Source source;
    private ActionTopic actions;

    @BeforeEach
    void setUp() {
        source = AdminApi.newWorkspaceWithSource();
        actions = new ActionTopic();
    }

    @AfterEach
    void tearDown() {
        clients.forEach(SseClient::close);
        actions.close();
    }

    @Test
    void an_in_app_message_reaches_the_connected_visitor() throws IOException {
        String profileId = visitor("anonymousId", "a-1");
        SseClient stream = connect(Map.of("writeKey", source.writeKey(), "anonymousId", "a-1"), Map.of());

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
        assertThat(stream.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
        // The stream opens telling where the (empty) inbox stands.
        SseClient.Event opening = stream.events().getFirst();
        assertThat(opening.comments()).containsExactly("connected");
        assertThat(opening.id()).isEqualTo("0-0");
        assertThat(opening.data()).isNull();

        Action action = ActionTopic.inApp(source.workspace(), profileId, "{\"subject\": \"Hi\", \"body\": \"Welcome back\"}");
        actions.send(action);

        await("message on the stream").atMost(DELIVERY).until(() -> stream.messages().size() == 1);
        SseClient.Event message = stream.messages().getFirst();
        assertThat(message.id()).matches("\\d+-\\d+");
        JsonNode data = JSON.readTree(message.data());
        assertThat(data.path("firingId").asText()).isEqualTo(action.getFiringId());
        assertThat(data.path("triggerId").asText()).isEqualTo(action.getTriggerId());
        assertThat(data.path("message")).isEqualTo(JSON.readTree("{\"subject\": \"Hi\", \"body\": \"Welcome back\"}"));
        assertThat(data.path("firedAt").asText()).isEqualTo(Instant.ofEpochMilli(action.getFiredAtMs()).toString());
        assertThat(data.size()).isEqualTo(4);
    }

    @Test
    void the_write_key_as_basic_user_name_and_the_user_id_identify_the_visitor_too() {
        String profileId = visitor("userId", "u-1");
        SseClient stream = connect(Map.of("userId", "u-1", "anonymousId", "device-unknown-to-kairos"),
                Map.of("Authorization", basic(source.writeKey())));

        Action action = ActionTopic.inApp(source.workspace(), profileId, "{\"body\": \"Hello\"}");
        actions.send(action);

        await("message on the stream").atMost(DELIVERY).until(() -> stream.messages().size() == 1);
        assertThat(firingIds(stream)).containsExactly(action.getFiringId());
    }

    @Test
    void a_reconnect_with_last_event_id_replays_only_what_was_missed_then_goes_live() {
        String profileId = visitor("anonymousId", "a-1");
        Map<String, String> visitor = Map.of("writeKey", source.writeKey(), "anonymousId", "a-1");
        SseClient first = connect(visitor, Map.of());
        Action seen = send(profileId, "seen");
        await("first message").atMost(DELIVERY).until(() -> first.messages().size() == 1);
        String lastSeen = first.messages().getFirst().id();
        first.close();

        Action missed1 = send(profileId, "missed 1");
        Action missed2 = send(profileId, "missed 2");
        await("missed messages in the inbox").atMost(DELIVERY).until(() -> inboxLength(source.workspace(), profileId) == 3);

        SseClient again = connect(visitor, Map.of("Last-Event-ID", lastSeen));
        await("replay").atMost(DELIVERY).until(() -> again.messages().size() >= 2);
        Action live = send(profileId, "live");
        await("live message").atMost(DELIVERY).until(() -> again.messages().size() >= 3);
        assertThat(firingIds(again)).containsExactly(missed1.getFiringId(), missed2.getFiringId(), live.getFiringId());
        // Resuming from an id the client had: no new position to tell.
        assertThat(again.events().getFirst().comments()).containsExactly("connected");
        assertThat(again.events().getFirst().id()).isNull();

        // The query parameter does the same for clients that cannot set the header; 0 replays the whole inbox.
        Map<String, String> afterMissed = new LinkedHashMap<>(visitor);
        afterMissed.put("lastEventId", again.messages().get(1).id());
        SseClient fromParameter = connect(afterMissed, Map.of());
        Map<String, String> fromStart = new LinkedHashMap<>(visitor);
        fromStart.put("lastEventId", "0");
        SseClient everything = connect(fromStart, Map.of());
        await("replays").atMost(DELIVERY).until(() -> fromParameter.messages().size() >= 1
                && everything.messages().size() >= 4);
        assertThat(firingIds(fromParameter)).containsExactly(live.getFiringId());
        assertThat(firingIds(everything)).containsExactly(seen.getFiringId(), missed1.getFiringId(),
                missed2.getFiringId(), live.getFiringId());
    }

    @Test
    void messages_of_other_profiles_workspaces_and_channels_and_expired_ones_never_arrive() {
        String profileId = visitor("anonymousId", "a-1");
        SseClient stream = connect(Map.of("writeKey", source.writeKey(), "anonymousId", "a-1"), Map.of());
        String otherProfile = UUID.randomUUID().toString();
        String otherWorkspace = "t-" + UUID.randomUUID().toString().substring(0, 13);

        actions.send(ActionTopic.inApp(source.workspace(), otherProfile, "{\"body\": \"someone else's\"}"));
        actions.send(ActionTopic.inApp(otherWorkspace, profileId, "{\"body\": \"same profile id, other workspace\"}"));
        actions.send(ActionTopic.inApp(source.workspace(), profileId, "{\"body\": \"for Kafka consumers\"}")
                .toBuilder().setChannel("kafka").build());
        // Older than the inbox keeps messages (7 days): e.g. read again by a consumer group that starts over.
        actions.send(ActionTopic.inApp(source.workspace(), profileId, "{\"body\": \"long gone\"}").toBuilder()
                .setFiredAtMs(Instant.now().minus(Duration.ofDays(8)).toEpochMilli()).build());
        Action mine = send(profileId, "mine");

        await("every action processed").atMost(DELIVERY).until(() -> stream.messages().size() == 1
                && inboxLength(source.workspace(), otherProfile) == 1
                && inboxLength(otherWorkspace, profileId) == 1);
        // Another read or two, in case anything else was on its way.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> stream.messages().size() == 1);
        assertThat(firingIds(stream)).containsExactly(mine.getFiringId());
        assertThat(inboxLength(source.workspace(), profileId)).as("neither the kafka-channel nor the expired action is in the inbox").isEqualTo(1);
    }

    @Test
    void a_firing_delivered_twice_is_shown_once() {
        String profileId = visitor("anonymousId", "a-1");
        SseClient stream = connect(Map.of("writeKey", source.writeKey(), "anonymousId", "a-1"), Map.of());
        Action firing = ActionTopic.inApp(source.workspace(), profileId, "{\"body\": \"once\"}");

        actions.send(firing);
        actions.send(firing);
        Action marker = send(profileId, "after the redelivery");

        await("marker message").atMost(DELIVERY).until(() -> firingIds(stream).contains(marker.getFiringId()));
        assertThat(firingIds(stream)).containsExactly(firing.getFiringId(), marker.getFiringId());
        assertThat(inboxLength(source.workspace(), profileId)).isEqualTo(2);
    }

    @Test
    void a_visitor_kairos_does_not_know_yet_is_told_to_come_back_later() {
        SseClient unknown = connect(Map.of("writeKey", source.writeKey(), "anonymousId", "new-visitor"), Map.of());

        assertThat(unknown.status()).isEqualTo(200);
        await("end of the stream").atMost(Duration.ofSeconds(10)).until(unknown::ended);
        assertThat(unknown.events()).hasSize(1);
        SseClient.Event retry = unknown.events().getFirst();
        assertThat(retry.retry()).isEqualTo(5000L);
        // Coming back, the client asks for everything since the start of the inbox (or since what it had).
        assertThat(retry.id()).isEqualTo("0-0");
        assertThat(retry.data()).isNull();

        SseClient resuming = connect(Map.of("writeKey", source.writeKey(), "anonymousId", "new-visitor"),
                Map.of("Last-Event-ID", "1732364400123-4"));
        await("end of the stream").atMost(Duration.ofSeconds(10)).until(resuming::ended);
        assertThat(resuming.events().getFirst().id()).isEqualTo("1732364400123-4");
    }

    @Test
    void a_missing_or_bad_write_key_is_a_401_problem() {
        given().queryParam("anonymousId", "a-1").get("/v1/stream")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Basic"))
                .body("reason", equalTo("WRITE_KEY_REQUIRED"));
        given().queryParam("writeKey", "not-a-key").queryParam("anonymousId", "a-1").get("/v1/stream")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("reason", equalTo("INVALID_WRITE_KEY"));
        given().auth().preemptive().basic("not-a-key", "").queryParam("anonymousId", "a-1").get("/v1/stream")
                .then().statusCode(401)
                .body("reason", equalTo("INVALID_WRITE_KEY"));
        given().auth().oauth2("some-token").queryParam("anonymousId", "a-1").get("/v1/stream")
                .then().statusCode(401)
                .body("reason", equalTo("UNSUPPORTED_AUTHORIZATION"));
    }

    @Test
    void a_visitor_that_does_not_say_who_it_is_or_a_malformed_last_event_id_is_a_400_problem() {
        given().queryParam("writeKey", source.writeKey()).get("/v1/stream")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("reason", equalTo("IDENTITY_REQUIRED"))
                .body("field", equalTo("/anonymousId"));
        given().queryParam("writeKey", source.writeKey()).queryParam("anonymousId", "a-1")
                .queryParam("lastEventId", "yesterday").get("/v1/stream")
                .then().statusCode(400)
                .body("reason", equalTo("INVALID_LAST_EVENT_ID"))
                .body("field", equalTo("/lastEventId"));
        given().queryParam("writeKey", source.writeKey()).queryParam("anonymousId", "a-1")
                .header("Last-Event-ID", "1-2-3").get("/v1/stream")
                .then().statusCode(400)
                .body("reason", equalTo("INVALID_LAST_EVENT_ID"))
                .body("field", equalTo("/headers/Last-Event-ID"));
    }

    @Test
    void an_idle_connection_gets_comment_heartbeats() {
        visitor("anonymousId", "a-1");
        SseClient stream = connect(Map.of("writeKey", source.writeKey(), "anonymousId", "a-1"), Map.of());

        // The test profile beats every second (production: 15 s).
        await("heartbeats").atMost(Duration.ofSeconds(6)).until(() -> stream.events().stream()
                .filter(event -> event.comments().contains("heartbeat") && event.data() == null).count() >= 2);
        assertThat(stream.messages()).isEmpty();
    }

    @Test
    void the_instance_subscribes_once_per_profile_and_unsubscribes_when_its_visitors_leave() {
        String profileId = visitor("anonymousId", "a-1");
        String channel = "kairos:gateway:inbox-notifications:{" + source.workspace() + ":" + profileId + "}";
        Map<String, String> visitor = Map.of("writeKey", source.writeKey(), "anonymousId", "a-1");

        SseClient tab1 = connect(visitor, Map.of());
        SseClient tab2 = connect(visitor, Map.of());
        assertThat(subscribers(channel)).isEqualTo(1);
        Action action = send(profileId, "to both tabs");
        await("both tabs").atMost(DELIVERY).until(() -> tab1.messages().size() == 1 && tab2.messages().size() == 1);

        tab1.close();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> subscribers(channel) == 1);
        tab2.close();
        await("unsubscribed").atMost(Duration.ofSeconds(10)).until(() -> subscribers(channel) == 0);
        assertThat(firingIds(tab1)).containsExactly(action.getFiringId());
    }

    @Test
    void records_that_are_no_in_app_message_go_to_the_dead_letter_topic_with_their_reason() {
        String profileId = visitor("anonymousId", "a-1");
        SseClient stream = connect(Map.of("writeKey", source.writeKey(), "anonymousId", "a-1"), Map.of());
        String key = source.workspace() + ":" + profileId;

        actions.send(key, "not protobuf".getBytes(StandardCharsets.UTF_8));
        actions.send(ActionTopic.inApp(source.workspace(), profileId, "{\"body\": \"x\"}").toBuilder()
                .setFiringId("").build());
        actions.send(ActionTopic.inApp(source.workspace(), profileId, "[\"not\", \"an\", \"object\"]"));
        Action valid = send(profileId, "after the poison");

        await("dead letters").atMost(DELIVERY).pollInSameThread().until(() -> actions.deadLetters(key).size() == 3);
        assertThat(actions.deadLetters(key)).extracting(VisitorStreamTest::reason).satisfiesExactly(
                reason -> assertThat(reason).contains("not a kairos.events.Action"),
                reason -> assertThat(reason).contains("firing_id"),
                reason -> assertThat(reason).contains("not a JSON object"));
        // The partition goes on: the valid message behind them arrives, alone.
        await("valid message").atMost(DELIVERY).until(() -> stream.messages().size() == 1);
        assertThat(firingIds(stream)).containsExactly(valid.getFiringId());
    }

    private String visitor(String type, String value) {
        String profileId = UUID.randomUUID().toString();
        VisitorDirectory.know(source.workspace(), type, value, profileId);
        return profileId;
    }

    private Action send(String profileId, String body) {
        Action action = ActionTopic.inApp(source.workspace(), profileId, "{\"body\": \"" + body + "\"}");
        actions.send(action);
        return action;
    }

    private SseClient connect(Map<String, String> query, Map<String, String> headers) {
        String url = "http://127.0.0.1:" + RestAssured.port + "/v1/stream?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        SseClient client = SseClient.connect(url, headers);
        clients.add(client);
        // The headers go out at once; the first event says the stream listens (or sends the client away).
        await("first event").atMost(Duration.ofSeconds(10)).until(() -> !client.events().isEmpty());
        return client;
    }

    private long inboxLength(String workspace, String profileId) {
        return redis.stream(String.class).xlen("kairos:gateway:inbox:{" + workspace + ":" + profileId + "}");
    }

    private long subscribers(String channel) {
        return redis.execute("PUBSUB", "NUMSUB", channel).get(1).toLong();
    }

    private static List<String> firingIds(SseClient stream) {
        return stream.messages().stream().map(event -> {
            try {
                return JSON.readTree(event.data()).path("firingId").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private static String basic(String writeKey) {
        return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
    }
}
