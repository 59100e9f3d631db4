package io.kairos.profile;

import static io.kairos.profile.GrpcErrors.assertNotFound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.StatusRuntimeException;
import io.kairos.api.common.Identifier;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.api.profile.ListEventsRequest;
import io.kairos.api.profile.LookupProfileRequest;
import io.kairos.api.profile.Profile;
import io.kairos.api.profile.ProfileServiceGrpc;
import io.kairos.api.profile.StoredEvent;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Raw events in over Kafka, profiles checked over gRPC, resolved events and dead letters read back from Kafka. */
@QuarkusTest
class RawEventFlowTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RawEvents rawEvents;
    private static KafkaTopicTail resolved;
    private static KafkaTopicTail deadLetters;

    @GrpcClient("profile")
    ProfileServiceGrpc.ProfileServiceBlockingStub profiles;

    @Inject
    DataSource database;

    @BeforeAll
    static void openTopics() {
        rawEvents = new RawEvents();
        resolved = new KafkaTopicTail("kairos.events.resolved");
        deadLetters = new KafkaTopicTail("kairos.events.raw.dlq");
    }

    @AfterAll
    static void closeTopics() throws InterruptedException {
        // null when Quarkus failed to start and @BeforeAll never ran
        if (rawEvents == null) {
            return;
        }
        rawEvents.close();
        resolved.close();
        deadLetters.close();
    }

    @Test
    void identifyThenAnonymousTrackLandOnOneProfile() throws IOException {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-identify", "identify", Map.of(
                "userId", "u-1", "anonymousId", "a-1",
                "traits", Map.of("plan", "pro", "name", "Ada", "email", " Ada@Example.com "),
                "context", Map.of("channel", "web", "timezone", "Europe/Paris", "locale", "fr-FR"))).build());
        awaitEvents(ws, lookup(ws, "userId", "u-1"), 1);
        rawEvents.send(RawEvents.event(ws, "m-track", "track", Map.of(
                "anonymousId", "a-1", "event", "Product Viewed",
                "properties", Map.of("sku", "X-1"),
                "context", Map.of("channel", "mobile", "traits", Map.of("city", "Lyon")))).build());

        Profile profile = awaitEvents(ws, lookup(ws, "anonymousId", "a-1"), 2);

        String profileId = profile.getProfileId();
        assertThat(lookup(ws, "userId", "u-1").getProfileId()).isEqualTo(profileId);
        assertThat(lookup(ws, "email", "ADA@example.com ").getProfileId()).isEqualTo(profileId);
        Profile fresh = profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId(profileId).build());
        assertThat(fresh.getIdentifiersList()).containsExactlyInAnyOrder(identifier("anonymousId", "a-1"),
                identifier("email", "ada@example.com"), identifier("userId", "u-1"));
        Map<String, Object> traits = json(fresh.getTraitsJson().toByteArray());
        assertThat(traits).containsEntry("plan", "pro").containsEntry("name", "Ada").containsEntry("city", "Lyon")
                .containsEntry("$channels", List.of("mobile", "web")).containsEntry("$timezone", "Europe/Paris")
                .containsEntry("$locale", "fr-FR").containsKeys("$firstSeen", "$lastSeen");
        assertThat(fresh.getFirstSeenMs()).isPositive().isLessThanOrEqualTo(fresh.getLastSeenMs());

        List<ResolvedEvent> announced = awaitResolved(ws, 2);
        assertThat(announced).allSatisfy(event -> {
            assertThat(event.getProfileId()).isEqualTo(profileId);
            assertThat(event.getWorkspace()).isEqualTo(ws);
        });
        assertThat(announced).extracting(event -> event.getEvent().getRaw().getMessageId()).containsExactly("m-identify", "m-track");
        assertThat(json(announced.get(0).getEvent().getChangedTraitsJson().toByteArray()))
                .containsEntry("plan", "pro").containsEntry("$channels", List.of("web"));
        assertThat(json(announced.get(1).getEvent().getChangedTraitsJson().toByteArray()))
                .containsEntry("city", "Lyon").containsEntry("$channels", List.of("mobile", "web")).doesNotContainKey("plan");
        assertThat(json(announced.get(1).getEvent().getTraitsJson().toByteArray())).isEqualTo(traits);
        assertThat(resolved.withKeyPrefix(ws + ":")).allSatisfy(record -> assertThat(record.key()).isEqualTo(ws + ":" + profileId));
    }

    @Test
    void aDuplicateMessageIdAddsNothing() throws IOException {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-1", "identify", Map.of("userId", "u-1", "traits", Map.of("plan", "pro"))).build());
        Profile profile = awaitEvents(ws, lookup(ws, "userId", "u-1"), 1);

        // The same messageId again, even with other content, then a new event on the same partition
        // as a barrier: once it is in the history, the duplicate has been consumed.
        rawEvents.send(RawEvents.event(ws, "m-1", "identify", Map.of("userId", "u-1", "traits", Map.of("plan", "enterprise"))).build());
        rawEvents.send(RawEvents.event(ws, "m-2", "track", Map.of("userId", "u-1", "event", "Signed In")).build());
        List<StoredEvent> history = awaitEventCount(ws, profile.getProfileId(), 2);

        assertThat(history).extracting(StoredEvent::getMessageId).containsExactlyInAnyOrder("m-1", "m-2");
        Map<String, Object> traits = json(profiles.getProfile(GetProfileRequest.newBuilder()
                .setWorkspace(ws).setProfileId(profile.getProfileId()).build()).getTraitsJson().toByteArray());
        assertThat(traits).containsEntry("plan", "pro");
        // The duplicate is announced again (a redelivery may follow a failed publication) as it was
        // first recorded: same event, same changes, nothing of the resent content.
        List<ResolvedEvent> firstEvent = awaitResolved(ws, 3).stream()
                .filter(event -> event.getEvent().getRaw().getMessageId().equals("m-1")).toList();
        assertThat(firstEvent).hasSize(2).allSatisfy(event -> {
            assertThat(event.getProfileId()).isEqualTo(profile.getProfileId());
            assertThat(event.getEvent().getRaw().getUserId()).isEqualTo("u-1");
            assertThat(json(event.getEvent().getChangedTraitsJson().toByteArray())).containsEntry("plan", "pro");
            assertThat(json(event.getEvent().getRaw().getPayloadJson().toByteArray()))
                    .containsEntry("traits", Map.of("plan", "pro"));
        });
    }

    @Test
    void anotherWorkspaceCannotSeeTheProfile() {
        String ws = RawEvents.workspace();
        String other = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-1", "identify", Map.of("userId", "u-1", "traits", Map.of("plan", "pro"))).build());
        String profileId = awaitEvents(ws, lookup(ws, "userId", "u-1"), 1).getProfileId();

        assertNotFound(() -> profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(other).setProfileId(profileId).build()));
        assertNotFound(() -> profiles.lookupProfile(LookupProfileRequest.newBuilder().setWorkspace(other)
                .setIdentifier(identifier("userId", "u-1")).build()));
        assertNotFound(() -> profiles.listEvents(ListEventsRequest.newBuilder().setWorkspace(other).setProfileId(profileId).build()));

        // The same person in the other workspace is another profile, and the same messageId is not a duplicate there.
        rawEvents.send(RawEvents.event(other, "m-1", "identify", Map.of("userId", "u-1", "traits", Map.of("plan", "free"))).build());
        Profile theirs = awaitEvents(other, lookup(other, "userId", "u-1"), 1);
        assertThat(theirs.getProfileId()).isNotEqualTo(profileId);
        assertThat(lookup(ws, "userId", "u-1").getTraitsJson().toStringUtf8()).contains("\"plan\":\"pro\"");
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicAndTheNextMessageIsProcessed() {
        String ws = RawEvents.workspace();
        String key = ws + ":u-1";
        rawEvents.send(key, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        rawEvents.send(key, RawEvents.event("", "m-0", "track", Map.of("userId", "u-1", "event", "E")).build().toByteArray());
        rawEvents.send(key, RawEvents.event(ws, "m-1", "track", Map.of("userId", "null", "anonymousId", " undefined ", "event", "E"))
                .build().toByteArray());
        rawEvents.send(RawEvents.event(ws, "m-2", "identify", Map.of("userId", "u-1", "traits", Map.of("plan", "pro"))).build());

        Profile profile = awaitEvents(ws, lookup(ws, "userId", "u-1"), 1);

        assertThat(profile.getTraitsJson().toStringUtf8()).contains("\"plan\":\"pro\"");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deadLetters.records(record -> key.equals(record.key())))
                .extracting(record -> KafkaTopicTail.headers(record).get("dead-letter-reason"))
                .satisfiesExactly(
                        reason -> assertThat(reason).contains("not a RawEvent protobuf"),
                        reason -> assertThat(reason).contains("no workspace"),
                        reason -> assertThat(reason).contains("no usable identifier")));
        assertThat(deadLetters.records(record -> key.equals(record.key())).getFirst().value())
                .containsExactly((byte) 0xff, (byte) 0xff, (byte) 0xff);
    }

    @Test
    void anEventTyingTwoProfilesTogetherMergesThemIntoTheOlderAndAnnouncesTheMergeFirst() throws IOException {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-anon", "track", Map.of("anonymousId", "a-1", "event", "Visited",
                "context", Map.of("channel", "social", "traits", Map.of("city", "Lyon")))).build());
        String anonymous = awaitEvents(ws, lookup(ws, "anonymousId", "a-1"), 1).getProfileId();
        rawEvents.send(RawEvents.event(ws, "m-known", "identify", Map.of("userId", "u-1", "traits", Map.of("plan", "pro"),
                "context", Map.of("channel", "mobile"))).build());
        String known = awaitEvents(ws, lookup(ws, "userId", "u-1"), 1).getProfileId();
        assertThat(anonymous).isNotEqualTo(known);

        rawEvents.send(RawEvents.event(ws, "m-login", "identify", Map.of("userId", "u-1", "anonymousId", "a-1",
                "traits", Map.of("email", "ada@example.com"))).build());

        // The anonymous profile is the older one: it survives, and the other id is now its alias.
        Profile merged = awaitEvents(ws, lookup(ws, "userId", "u-1"), 3);
        assertThat(merged.getProfileId()).isEqualTo(anonymous);
        assertThat(lookup(ws, "anonymousId", "a-1").getProfileId()).isEqualTo(anonymous);
        assertThat(profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId(known).build()).getProfileId())
                .isEqualTo(anonymous);
        assertThat(merged.getIdentifiersList()).containsExactlyInAnyOrder(identifier("anonymousId", "a-1"),
                identifier("userId", "u-1"), identifier("email", "ada@example.com"));
        assertThat(json(merged.getTraitsJson().toByteArray())).containsEntry("plan", "pro").containsEntry("city", "Lyon")
                .containsEntry("email", "ada@example.com").containsEntry("$channels", List.of("mobile", "social"));
        assertThat(profiles.listEvents(ListEventsRequest.newBuilder().setWorkspace(ws).setProfileId(known).build()).getEventsList())
                .extracting(StoredEvent::getMessageId).containsExactlyInAnyOrder("m-anon", "m-known", "m-login");

        // In order on the survivor's key (one partition): its first event, the merge, the event that caused it.
        List<ResolvedEvent> survivors = awaitResolved(ws, 4).stream()
                .filter(event -> event.getProfileId().equals(anonymous)).toList();
        assertThat(survivors).extracting(ResolvedEvent::getBodyCase).containsExactly(
                ResolvedEvent.BodyCase.EVENT, ResolvedEvent.BodyCase.MERGED, ResolvedEvent.BodyCase.EVENT);
        assertThat(survivors.get(1).getMerged().getSurvivorId()).isEqualTo(anonymous);
        assertThat(survivors.get(1).getMerged().getMergedIdsList()).containsExactly(known);
        assertThat(json(survivors.get(1).getMerged().getTraitsJson().toByteArray())).containsEntry("plan", "pro");
        assertThat(survivors.get(2).getEvent().getRaw().getMessageId()).isEqualTo("m-login");
    }

    @Test
    void twoUserIdsNeverMergeAndTheConflictingIdentifierIsRecordedAsDropped() throws SQLException {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-u1", "identify", Map.of("userId", "u-1", "anonymousId", "shared-browser")).build());
        String first = awaitEvents(ws, lookup(ws, "userId", "u-1"), 1).getProfileId();

        // Someone else logs in on the same browser.
        rawEvents.send(RawEvents.event(ws, "m-u2", "identify", Map.of("userId", "u-2", "anonymousId", "shared-browser",
                "traits", Map.of("phone", "+44 20 7946 0958"))).build());
        String second = awaitEvents(ws, lookup(ws, "userId", "u-2"), 1).getProfileId();

        assertThat(second).isNotEqualTo(first);
        assertThat(lookup(ws, "anonymousId", "shared-browser").getProfileId()).isEqualTo(first);
        assertThat(lookup(ws, "phone", "+442079460958").getProfileId()).isEqualTo(second);
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select message_id, type, value, profile_id, reason, detail from dropped_identifier where workspace = ?")) {
            query.setString(1, ws);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("message_id")).isEqualTo("m-u2");
                assertThat(rows.getString("type")).isEqualTo("anonymousId");
                assertThat(rows.getString("profile_id")).isEqualTo(second);
                assertThat(rows.getString("reason")).isEqualTo("CONFLICTING_PROFILE");
                assertThat(rows.getString("detail")).contains(first).contains("userId");
                assertThat(rows.next()).isFalse();
            }
        }
    }

    private Profile lookup(String ws, String type, String value) {
        return await().atMost(DEADLINE).ignoreException(StatusRuntimeException.class).until(() -> profiles.lookupProfile(
                LookupProfileRequest.newBuilder().setWorkspace(ws).setIdentifier(identifier(type, value)).build()), p -> true);
    }

    /** The profile once its history holds the expected number of events. */
    private Profile awaitEvents(String ws, Profile profile, int events) {
        awaitEventCount(ws, profile.getProfileId(), events);
        return profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId(profile.getProfileId()).build());
    }

    private List<StoredEvent> awaitEventCount(String ws, String profileId, int events) {
        return await().atMost(DEADLINE).until(() -> profiles.listEvents(ListEventsRequest.newBuilder()
                .setWorkspace(ws).setProfileId(profileId).build()).getEventsList(), list -> list.size() >= events);
    }

    private List<ResolvedEvent> awaitResolved(String ws, int count) {
        return await().atMost(DEADLINE).until(() -> {
            List<ResolvedEvent> events = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : resolved.withKeyPrefix(ws + ":")) {
                events.add(ResolvedEvent.parseFrom(record.value()));
            }
            return events;
        }, events -> events.size() >= count);
    }

    private static Identifier identifier(String type, String value) {
        return Identifier.newBuilder().setType(type).setValue(value).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(byte[] bytes) throws IOException {
        return JSON.readValue(bytes, Map.class);
    }
}
