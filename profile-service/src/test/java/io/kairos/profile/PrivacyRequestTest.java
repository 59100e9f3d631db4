package io.kairos.profile;

import static io.kairos.profile.GrpcErrors.assertNotFound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kairos.api.events.PrivacyRequest;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.api.profile.ProfileServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Privacy requests from kairos.privacy.requests erase (and suppress) profiles; bad ones are dead-lettered with the reason. */
@QuarkusTest
class PrivacyRequestTest {

    private static final String TOPIC = "kairos.privacy.requests";

    private static RawEvents rawEvents;
    private static KafkaTopicTail deadLetters;

    @GrpcClient("profile")
    ProfileServiceGrpc.ProfileServiceBlockingStub profiles;

    @Inject
    DataSource database;

    @Inject
    @GrpcService
    PrivacyDesk desk;

    @BeforeAll
    static void openTopics() {
        rawEvents = new RawEvents();
        deadLetters = new KafkaTopicTail(TOPIC + ".dlq");
    }

    @AfterAll
    static void closeTopics() throws InterruptedException {
        // null when Quarkus failed to start and @BeforeAll never ran
        if (rawEvents == null) {
            return;
        }
        rawEvents.close();
        deadLetters.close();
    }

    @Test
    void aSuppressRequestErasesTheProfileAndRefusesThePersonsLaterEvents() throws SQLException {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-1", "identify", Map.of("userId", "u-1", "traits", Map.of("email", "ada@example.com"))).build());
        String profileId = awaitProfile(ws, "userId", "u-1");

        String requestId = "req-suppress-" + ws;
        desk.unavailableFor(requestId, 2);
        send(ws, request(ws, requestId, profileId, PrivacyRequest.Kind.SUPPRESS));
        send(ws, request(ws, requestId, profileId, PrivacyRequest.Kind.SUPPRESS)); // redelivered: one erasure

        await().atMost(Lookups.DEADLINE).until(() -> count("select count(*) from deleted_profile where workspace = ? and request_id = '" + requestId + "'"
                + " and requested_by = 'privacy-desk'", ws) == 1);
        assertNotFound(() -> profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId(profileId).build()));
        assertThat(count("select count(*) from suppressed_identifier where workspace = ?", ws)).isEqualTo(2);
        // Reported once per delivery, after two refused attempts, each time with the first erasure's figures.
        await().atMost(Lookups.DEADLINE).untilAsserted(() -> assertThat(desk.reports(requestId)).hasSize(2)
                .allSatisfy(report -> {
                    assertThat(report.getService()).isEqualTo("profile-service");
                    assertThat(report.getWorkspace()).isEqualTo(ws);
                    assertThat(report.getOutcome()).isEqualTo("done");
                    assertThat(report.getDetail()).isEqualTo("profile erased: 2 identifiers, 1 events; identifiers suppressed");
                    assertThat(report.getExportJson().isEmpty()).isTrue();
                }));

        // A later event of the same person is dropped; the barrier event after it shows it was consumed.
        rawEvents.send(RawEvents.event(ws, "m-2", "identify", Map.of("userId", "u-1", "traits", Map.of("plan", "pro"))).build());
        rawEvents.send(RawEvents.event(ws, "m-3", "identify", Map.of("userId", "u-1-barrier")).build());
        awaitProfile(ws, "userId", "u-1-barrier");
        assertThat(count("select count(*) from profile_event where workspace = ? and message_id = 'm-2'", ws)).isZero();
    }

    @Test
    void aDeleteRequestNamingAMergedIdErasesTheSurvivor() throws SQLException {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-a", "page", Map.of("anonymousId", "a-1", "name", "Home")).build());
        String visitor = awaitProfile(ws, "anonymousId", "a-1");
        rawEvents.send(RawEvents.event(ws, "m-u", "identify", Map.of("userId", "u-1")).build());
        String customer = awaitProfile(ws, "userId", "u-1");
        rawEvents.send(RawEvents.event(ws, "m-login", "identify", Map.of("userId", "u-1", "anonymousId", "a-1")).build());
        await().atMost(Lookups.DEADLINE).until(() -> awaitProfile(ws, "userId", "u-1").equals(visitor));

        send(ws, request(ws, "req-delete", customer, PrivacyRequest.Kind.DELETE));

        await().atMost(Lookups.DEADLINE).until(() -> count("select count(*) from deleted_profile where workspace = ? and request_id = 'req-delete'"
                + " and profile_id = '" + visitor + "'::uuid", ws) == 1);
        assertThat(count("select count(*) from profile where workspace = ?", ws)).isZero();
        assertThat(count("select count(*) from profile_alias where workspace = ?", ws)).isZero();
        assertThat(count("select count(*) from suppressed_identifier where workspace = ?", ws)).isZero();
    }

    @Test
    void anExportRequestReportsTheProfileItsIdentifiersAndItsWholeHistory() throws Exception {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-1", "identify", Map.of("userId", "u-1", "traits", Map.of("email", "Ada@Example.com"))).build());
        rawEvents.send(RawEvents.event(ws, "m-2", "track", Map.of("userId", "u-1", "event", "Order Completed",
                "properties", Map.of("revenue", 42))).build());
        String profileId = awaitProfile(ws, "userId", "u-1");
        await().atMost(Lookups.DEADLINE).until(() -> count("select count(*) from profile_event where workspace = ?", ws) == 2);

        String requestId = "req-export-" + ws;
        send(ws, request(ws, requestId, profileId, PrivacyRequest.Kind.EXPORT));

        await().atMost(Lookups.DEADLINE).until(() -> !desk.reports(requestId).isEmpty());
        var report = desk.reports(requestId).getFirst();
        assertThat(report.getOutcome()).isEqualTo("done");
        assertThat(report.getDetail()).isEqualTo("profile, identity graph and 2 events exported");
        var export = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.getExportJson().toByteArray());
        assertThat(export.at("/profile/profileId").asText()).isEqualTo(profileId);
        assertThat(export.at("/profile/traits/email").asText()).isEqualTo("Ada@Example.com");
        assertThat(export.get("identifiers")).extracting(id -> id.get("type").asText() + ":" + id.get("value").asText())
                .containsExactlyInAnyOrder("userId:u-1", "email:ada@example.com");
        assertThat(export.get("events")).extracting(event -> event.get("messageId").asText()).containsExactlyInAnyOrder("m-1", "m-2");
        assertThat(export.at("/events").findValuesAsText("event")).contains("Order Completed");
        // An export erases nothing.
        assertThat(count("select count(*) from profile where workspace = ?", ws)).isEqualTo(1);
    }

    @Test
    void anExportOfAProfileThatIsNotHereReportsThatNothingIsHeld() throws Exception {
        String ws = RawEvents.workspace();
        String requestId = "req-export-none-" + ws;
        send(ws, request(ws, requestId, java.util.UUID.randomUUID().toString(), PrivacyRequest.Kind.EXPORT));

        await().atMost(Lookups.DEADLINE).until(() -> !desk.reports(requestId).isEmpty());
        var report = desk.reports(requestId).getFirst();
        assertThat(report.getDetail()).endsWith("nothing to export");
        assertThat(report.getExportJson().toStringUtf8()).isEqualTo("{\"profile\":null}");
    }

    @Test
    void requestsThatCanNeverBeCarriedOutAreDeadLetteredWithTheReason() {
        String ws = RawEvents.workspace();
        String key = ws + ":poison";
        rawEvents.sendTo(TOPIC, key, new byte[] {(byte) 0xff, (byte) 0xff});
        rawEvents.sendTo(TOPIC, key, request(ws, "req-1", "not-a-uuid", PrivacyRequest.Kind.DELETE).toByteArray());
        rawEvents.sendTo(TOPIC, key, request(ws, "req-2", java.util.UUID.randomUUID().toString(), PrivacyRequest.Kind.KIND_UNSPECIFIED)
                .toByteArray());

        await().atMost(Lookups.DEADLINE).untilAsserted(() -> assertThat(deadLetters.records(record -> key.equals(record.key())))
                .extracting(record -> KafkaTopicTail.headers(record).get("dead-letter-reason"))
                .satisfiesExactly(
                        reason -> assertThat(reason).contains("not a PrivacyRequest protobuf"),
                        reason -> assertThat(reason).contains("is not a UUID"),
                        reason -> assertThat(reason).contains("kind must be DELETE, SUPPRESS or EXPORT")));
    }

    private static PrivacyRequest request(String ws, String requestId, String profileId, PrivacyRequest.Kind kind) {
        return PrivacyRequest.newBuilder().setWorkspace(ws).setRequestId(requestId).setProfileId(profileId).setKind(kind)
                .setRequestedBy("privacy-desk").setRequestedAtMs(System.currentTimeMillis()).build();
    }

    private static void send(String ws, PrivacyRequest request) {
        rawEvents.sendTo(TOPIC, ws + ":" + request.getProfileId(), request.toByteArray());
    }

    private String awaitProfile(String ws, String type, String value) {
        return Lookups.awaitProfileId(profiles, ws, type, value);
    }

    private long count(String sql, String ws) throws SQLException {
        return Lookups.count(database, sql, ws);
    }
}
