package io.kairos.profile;

import static io.kairos.profile.GrpcErrors.assertNotFound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kairos.api.common.Identifier;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.api.profile.DeleteProfileRequest;
import io.kairos.api.profile.DeleteProfileResponse;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.api.profile.ListEventsRequest;
import io.kairos.api.profile.LookupProfileRequest;
import io.kairos.api.profile.Profile;
import io.kairos.api.profile.ProfileServiceGrpc;
import io.kairos.profile.stream.RawEventConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Right to erasure: DeleteProfile over gRPC, the tables read back over JDBC, ProfileDeleted read
 * back from kairos.events.resolved, and later raw events of a suppressed person sent over Kafka.
 */
@QuarkusTest
class ProfileErasureTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static RawEvents rawEvents;
    private static KafkaTopicTail resolved;

    @GrpcClient("profile")
    ProfileServiceGrpc.ProfileServiceBlockingStub profiles;

    @Inject
    DataSource database;

    @Inject
    MeterRegistry metrics;

    @BeforeAll
    static void openTopics() {
        rawEvents = new RawEvents();
        resolved = new KafkaTopicTail("kairos.events.resolved");
    }

    @AfterAll
    static void closeTopics() throws InterruptedException {
        // null when Quarkus failed to start and @BeforeAll never ran
        if (rawEvents == null) {
            return;
        }
        rawEvents.close();
        resolved.close();
    }

    @Test
    void erasureRemovesEverythingHeldOnTheProfileAndAnnouncesIt() throws Exception {
        String ws = RawEvents.workspace();
        // Ada: a visitor profile that her login merges with her own: four identifiers, four events, one alias.
        rawEvents.send(RawEvents.event(ws, "m-visit", "track", Map.of("anonymousId", "a-2", "event", "Visited")).build());
        String visitor = awaitEvents(ws, lookup(ws, "anonymousId", "a-2"), 1).getProfileId();
        rawEvents.send(RawEvents.event(ws, "m-identify", "identify", Map.of("userId", "u-1", "anonymousId", "a-1",
                "traits", Map.of("email", "ada@example.com", "name", "Ada"))).build());
        rawEvents.send(RawEvents.event(ws, "m-track", "track", Map.of("userId", "u-1", "event", "Order Completed")).build());
        String identified = awaitEvents(ws, lookup(ws, "userId", "u-1"), 2).getProfileId();
        rawEvents.send(RawEvents.event(ws, "m-login", "identify", Map.of("userId", "u-1", "anonymousId", "a-2")).build());
        String ada = awaitEvents(ws, lookup(ws, "userId", "u-1"), 4).getProfileId();
        String merged = ada.equals(visitor) ? identified : visitor;
        assertThat(count("select count(*) from profile_alias where workspace = ? and survivor_id = ?::uuid", ws, ada)).isOne();
        // Someone else in the workspace, who must not be touched.
        rawEvents.send(RawEvents.event(ws, "m-bob", "identify", Map.of("userId", "u-bob", "traits", Map.of("name", "Bob"))).build());
        String bob = awaitEvents(ws, lookup(ws, "userId", "u-bob"), 1).getProfileId();

        DeleteProfileResponse deleted = profiles.deleteProfile(delete(ws, ada, false).setRequestId("req-1").build());

        assertThat(deleted.getProfileId()).isEqualTo(ada);
        assertThat(deleted.getIdentifiersRemoved()).isEqualTo(4);
        assertThat(deleted.getEventsRemoved()).isEqualTo(4);
        assertThat(deleted.getSuppressed()).isFalse();
        assertThat(Instant.ofEpochMilli(deleted.getDeletedAtMs())).isBetween(Instant.now().minusSeconds(30), Instant.now());

        assertThat(count("select count(*) from profile where workspace = ? and id = ?::uuid", ws, ada)).isZero();
        assertThat(count("select count(*) from profile_identifier where workspace = ? and profile_id = ?::uuid", ws, ada)).isZero();
        assertThat(count("select count(*) from profile_event where workspace = ? and profile_id = ?::uuid", ws, ada)).isZero();
        assertThat(count("select count(*) from profile_alias where workspace = ? and survivor_id = ?::uuid", ws, ada)).isZero();
        assertThat(count("select count(*) from suppressed_identifier where workspace = ?", ws)).isZero();
        assertThat(count("select count(*) from profile_event where workspace = ? and payload::text ilike '%ada%'", ws)).isZero();
        assertThat(count("""
                select count(*) from deleted_profile where workspace = ? and profile_id = ?::uuid
                and requested_by = 'privacy-test' and request_id = 'req-1' and identifiers_removed = 4 and events_removed = 4""",
                ws, ada)).isOne();

        assertNotFound(() -> profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId(ada).build()));
        assertNotFound(() -> profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId(merged).build()));
        assertNotFound(() -> profiles.listEvents(ListEventsRequest.newBuilder().setWorkspace(ws).setProfileId(ada).build()));
        for (Identifier former : List.of(identifier("userId", "u-1"), identifier("anonymousId", "a-1"),
                identifier("email", "ada@example.com"), identifier("anonymousId", "a-2"))) {
            assertNotFound(() -> profiles.lookupProfile(LookupProfileRequest.newBuilder().setWorkspace(ws).setIdentifier(former).build()));
        }
        assertThat(lookup(ws, "userId", "u-bob").getProfileId()).isEqualTo(bob);
        assertThat(count("select count(*) from profile_event where workspace = ? and profile_id = ?::uuid", ws, bob)).isOne();

        ResolvedEvent announced = awaitDeletionAnnounced(ws, ada);
        assertThat(announced.getWorkspace()).isEqualTo(ws);
        assertThat(announced.getDeleted().getAtMs()).isEqualTo(deleted.getDeletedAtMs());
        assertThat(announced.getDeleted().getReason()).isEqualTo("erasure");
        await().atMost(DEADLINE).until(() -> count(
                "select count(*) from deleted_profile where workspace = ? and profile_id = ?::uuid and published_at is not null", ws, ada) == 1);
    }

    @Test
    void aRepeatedDeleteAnswersTheFirstResult() throws Exception {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-1", "identify", Map.of("userId", "u-1", "traits", Map.of("plan", "pro"))).build());
        String profileId = awaitEvents(ws, lookup(ws, "userId", "u-1"), 1).getProfileId();

        DeleteProfileResponse first = profiles.deleteProfile(delete(ws, profileId, false).build());
        DeleteProfileResponse again = profiles.deleteProfile(delete(ws, profileId, false).build());
        // A retry that now asks for suppression learns from the answer that it did not happen: nothing is left to suppress.
        DeleteProfileResponse withSuppression = profiles.deleteProfile(delete(ws, profileId, true).setRequestId("other").build());

        assertThat(first.getIdentifiersRemoved()).isOne();
        assertThat(first.getEventsRemoved()).isOne();
        assertThat(again).isEqualTo(first);
        assertThat(withSuppression).isEqualTo(first);
        assertThat(count("select count(*) from deleted_profile where workspace = ?", ws)).isOne();
        assertThat(count("select count(*) from suppressed_identifier where workspace = ?", ws)).isZero();
    }

    @Test
    void unknownForeignAndMalformedRequestsDeleteNothing() throws Exception {
        String ws = RawEvents.workspace();
        String other = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-1", "identify", Map.of("userId", "u-1", "traits", Map.of("plan", "pro"))).build());
        String profileId = awaitEvents(ws, lookup(ws, "userId", "u-1"), 1).getProfileId();

        assertFailure(() -> profiles.deleteProfile(delete(ws, UUID.randomUUID().toString(), false).build()),
                Status.Code.NOT_FOUND, "PROFILE_NOT_FOUND", null);
        assertFailure(() -> profiles.deleteProfile(delete(other, profileId, true).build()),
                Status.Code.NOT_FOUND, "PROFILE_NOT_FOUND", null);
        assertFailure(() -> profiles.deleteProfile(delete(ws, profileId, true).setRequestedBy(" ").build()),
                Status.Code.INVALID_ARGUMENT, "MISSING_FIELD", "/requestedBy");
        assertFailure(() -> profiles.deleteProfile(delete(ws, profileId, true).setRequestId("r".repeat(257)).build()),
                Status.Code.INVALID_ARGUMENT, "FIELD_TOO_LONG", "/requestId");
        assertFailure(() -> profiles.deleteProfile(delete(ws, "p-1", true).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_PROFILE_ID", "/profileId");
        assertFailure(() -> profiles.deleteProfile(delete("", profileId, true).build()),
                Status.Code.INVALID_ARGUMENT, "MISSING_FIELD", "/workspace");

        assertThat(profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId(profileId).build())
                .getIdentifiersList()).containsExactly(identifier("userId", "u-1"));
        assertThat(count("select count(*) from deleted_profile where workspace in (?, ?)", ws, other)).isZero();
        assertThat(count("select count(*) from suppressed_identifier where workspace in (?, ?)", ws, other)).isZero();
    }

    @Test
    void suppressionDropsLaterEventsOfTheErasedPersonOnly() throws Exception {
        String ws = RawEvents.workspace();
        String other = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-1", "identify", Map.of("userId", "u-1", "anonymousId", "a-1",
                "traits", Map.of("email", "ada@example.com"))).build());
        String ada = awaitEvents(ws, lookup(ws, "userId", "u-1"), 1).getProfileId();

        DeleteProfileResponse deleted = profiles.deleteProfile(delete(ws, ada, true).build());

        assertThat(deleted.getSuppressed()).isTrue();
        assertThat(deleted.getIdentifiersRemoved()).isEqualTo(3);
        // Hex digests only: no identifier is kept in clear.
        assertThat(suppressedDigests(ws)).hasSize(3).allSatisfy(digest -> assertThat(digest).matches("[0-9a-f]{64}"));
        assertThat(awaitDeletionAnnounced(ws, ada).getDeleted().getReason()).isEqualTo("erasure-suppressed");

        double droppedBefore = suppressedCount();
        // Her email (spelled differently, from a new device), and her userId alone: both refused.
        rawEvents.send(RawEvents.event(ws, "m-email", "identify", Map.of("anonymousId", "a-new",
                "traits", Map.of("email", " ADA@example.com ", "plan", "pro"))).build());
        rawEvents.send(RawEvents.event(ws, "m-user", "track", Map.of("userId", "u-1", "event", "Signed In")).build());
        // Somebody else in the workspace, and Ada's email in another workspace: both welcome.
        rawEvents.send(RawEvents.event(ws, "m-bob", "identify", Map.of("userId", "u-bob", "traits", Map.of("email", "bob@example.com"))).build());
        rawEvents.send(RawEvents.event(other, "m-email", "identify", Map.of("anonymousId", "a-new",
                "traits", Map.of("email", "ada@example.com"))).build());

        await().atMost(DEADLINE).until(() -> suppressedCount() - droppedBefore >= 2);
        assertThat(lookup(ws, "userId", "u-bob").getProfileId()).isNotEqualTo(ada);
        assertThat(lookup(other, "email", "ada@example.com").getProfileId()).isNotEqualTo(ada);

        for (Identifier refused : List.of(identifier("email", "ada@example.com"), identifier("userId", "u-1"),
                identifier("anonymousId", "a-new"))) {
            assertNotFound(() -> profiles.lookupProfile(LookupProfileRequest.newBuilder().setWorkspace(ws).setIdentifier(refused).build()));
        }
        assertThat(count("select count(*) from profile_event where workspace = ? and message_id in ('m-email', 'm-user')", ws)).isZero();
        assertThat(count("select count(*) from profile where workspace = ?", ws)).isOne();
        await().atMost(DEADLINE).until(() -> announcedMessageIds(ws).contains("m-bob"));
        assertThat(announcedMessageIds(ws)).doesNotContain("m-email", "m-user");
        assertThat(suppressedCount() - droppedBefore).isEqualTo(2);
    }

    @Test
    void anAnnouncementLeftPendingIsPublishedByTheRelay() throws Exception {
        // What a broker outage or a crash right after the commit leaves behind: a tombstone never published.
        String ws = RawEvents.workspace();
        String profileId = UUID.randomUUID().toString();
        Instant deletedAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into deleted_profile (workspace, profile_id, deleted_at, requested_by, identifiers_removed,
                                                     events_removed, suppressed)
                        values (?, ?::uuid, ?, 'privacy-test', 2, 5, false)""")) {
            insert.setString(1, ws);
            insert.setString(2, profileId);
            insert.setTimestamp(3, Timestamp.from(deletedAt));
            insert.executeUpdate();
        }

        ResolvedEvent announced = awaitDeletionAnnounced(ws, profileId);

        assertThat(announced.getDeleted().getAtMs()).isEqualTo(deletedAt.toEpochMilli());
        await().atMost(DEADLINE).until(() -> count(
                "select count(*) from deleted_profile where workspace = ? and published_at is not null", ws) == 1);
        // And the tombstone still answers a retried delete.
        DeleteProfileResponse retried = profiles.deleteProfile(delete(ws, profileId, false).build());
        assertThat(retried.getDeletedAtMs()).isEqualTo(deletedAt.toEpochMilli());
        assertThat(retried.getEventsRemoved()).isEqualTo(5);
    }

    private static DeleteProfileRequest.Builder delete(String ws, String profileId, boolean suppress) {
        return DeleteProfileRequest.newBuilder().setWorkspace(ws).setProfileId(profileId).setSuppress(suppress)
                .setRequestedBy("privacy-test");
    }

    private double suppressedCount() {
        return metrics.counter(RawEventConsumer.SUPPRESSED_EVENTS).count();
    }

    private ResolvedEvent awaitDeletionAnnounced(String ws, String profileId) {
        return await().atMost(DEADLINE).until(() -> resolvedEvents(ws).stream()
                        .filter(event -> event.hasDeleted() && event.getProfileId().equals(profileId))
                        .findFirst(), found -> found.isPresent())
                .orElseThrow();
    }

    private static List<String> announcedMessageIds(String ws) throws Exception {
        return resolvedEvents(ws).stream().filter(ResolvedEvent::hasEvent)
                .map(event -> event.getEvent().getRaw().getMessageId()).toList();
    }

    private static List<ResolvedEvent> resolvedEvents(String ws) throws Exception {
        List<ResolvedEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : resolved.withKeyPrefix(ws + ":")) {
            ResolvedEvent event = ResolvedEvent.parseFrom(record.value());
            assertThat(record.key()).isEqualTo(ws + ":" + event.getProfileId());
            events.add(event);
        }
        return events;
    }

    private Profile lookup(String ws, String type, String value) {
        return await().atMost(DEADLINE).ignoreException(StatusRuntimeException.class).until(() -> profiles.lookupProfile(
                LookupProfileRequest.newBuilder().setWorkspace(ws).setIdentifier(identifier(type, value)).build()), p -> true);
    }

    /** The profile once its history holds the expected number of events. */
    private Profile awaitEvents(String ws, Profile profile, int events) {
        await().atMost(DEADLINE).until(() -> profiles.listEvents(ListEventsRequest.newBuilder()
                .setWorkspace(ws).setProfileId(profile.getProfileId()).build()).getEventsCount() >= events);
        return profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId(profile.getProfileId()).build());
    }

    private long count(String sql, String... parameters) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private List<String> suppressedDigests(String ws) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement("select digest from suppressed_identifier where workspace = ?")) {
            query.setString(1, ws);
            List<String> digests = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    digests.add(rows.getString(1));
                }
            }
            return digests;
        }
    }

    private static void assertFailure(Runnable call, Status.Code code, String reason, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
            assertThat(failure.getStatus().getCode()).isEqualTo(code);
            ErrorInfo info = errorInfo(failure);
            assertThat(info.getReason()).isEqualTo(reason);
            if (field != null) {
                assertThat(info.getMetadataMap()).containsEntry("field", field);
            }
        });
    }

    private static ErrorInfo errorInfo(StatusRuntimeException failure) {
        try {
            return StatusProto.fromThrowable(failure).getDetails(0).unpack(ErrorInfo.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("no ErrorInfo in " + failure, e);
        }
    }

    private static Identifier identifier(String type, String value) {
        return Identifier.newBuilder().setType(type).setValue(value).build();
    }
}
