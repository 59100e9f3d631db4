package io.kairos.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.api.consent.PrivacyOutcome;
import io.kairos.api.events.MembershipChange;
import io.kairos.api.events.MembershipChange.Transition;
import io.kairos.api.events.PrivacyRequest;
import io.kairos.api.segment.ProfileSegmentsRequest;
import io.kairos.api.segment.Segment;
import io.kairos.api.segment.SegmentServiceGrpc.SegmentServiceBlockingStub;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.kairos.segment.api.ResolvedEvents.deleted;
import static io.kairos.segment.api.ResolvedEvents.identify;
import static io.kairos.segment.api.ResolvedEvents.track;
import static io.kairos.segment.api.SegmentDefinitionGrpcTest.create;
import static io.kairos.segment.api.SegmentDefinitionGrpcTest.newWorkspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure and export of a profile's segment data, by privacy request (reported to a recording
 * ConsentService) and by ProfileDeleted: the profile exits every segment with an erased-profile exit,
 * and its state and kept events are gone.
 */
@QuarkusTest
class ProfileErasureTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PRIVACY = "kairos.privacy.requests";
    private static final String PRO = "{\"name\":\"Pro plan\",\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}";
    private static final String BUYERS = "{\"name\":\"Buyers\",\"condition\":{\"event\":\"Order Completed\",\"within\":\"P30D\"}}";
    private static final String ADA = "{\"plan\":\"pro\",\"email\":\"ada@example.com\"}";

    @GrpcClient("segments")
    SegmentServiceBlockingStub segments;

    @Inject
    @GrpcService
    PrivacyDesk desk;

    @Inject
    Pool pool;

    KafkaTopics.Tail membership;

    @BeforeEach
    void tailMembershipTopic() {
        membership = new KafkaTopics.Tail(KafkaTopics.MEMBERSHIP);
    }

    @AfterEach
    void closeTail() {
        membership.close();
    }

    /** A profile in two segments, with a kept event. */
    private List<String> memberOfTwo(String ws, String profileId) {
        Segment pro = segments.createSegment(create(ws, PRO));
        Segment buyers = segments.createSegment(create(ws, BUYERS));
        KafkaTopics.produce(identify(ws, profileId, UUID.randomUUID().toString(), ADA, ADA));
        KafkaTopics.produce(track(ws, profileId, "m-order", "Order Completed", Instant.now(), "{\"revenue\": 42}", ADA));
        await().atMost(DEADLINE).until(() -> segmentsOf(ws, profileId).size() == 2);
        return List.of(pro.getSegmentId(), buyers.getSegmentId());
    }

    private List<String> segmentsOf(String ws, String profileId) {
        return segments.getProfileSegments(ProfileSegmentsRequest.newBuilder().setWorkspace(ws).setProfileId(profileId).build())
                .getSegmentsList().stream().map(s -> s.getSegmentId()).toList();
    }

    private long rows(String table, String ws, String profileId) {
        return pool.preparedQuery("select count(*) from " + table + " where workspace = $1 and profile_id = $2")
                .execute(Tuple.of(ws, profileId)).await().indefinitely().iterator().next().getLong(0);
    }

    private static void request(String ws, String requestId, String profileId, PrivacyRequest.Kind kind) {
        KafkaTopics.produce(ws + ":" + profileId, PrivacyRequest.newBuilder().setWorkspace(ws).setRequestId(requestId)
                .setProfileId(profileId).setKind(kind).setRequestedBy("priya").setRequestedAtMs(System.currentTimeMillis())
                .build().toByteArray(), PRIVACY);
    }

    private void assertErased(String ws, String profileId, List<String> segmentIds) {
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(membership.changes(ws)).filteredOn(
                        change -> change.getProfileId().equals(profileId) && change.getTransition() == Transition.EXITED)
                .extracting(MembershipChange::getSegmentId).containsExactlyInAnyOrderElementsOf(segmentIds));
        assertThat(membership.changes(ws)).filteredOn(change -> change.getTransition() == Transition.EXITED)
                .allSatisfy(exit -> {
                    assertThat(exit.getProfileErased()).isTrue();
                    assertThat(exit.getTraitsJson().isEmpty()).as("no personal data on the way out").isTrue();
                });
        assertThat(segmentsOf(ws, profileId)).isEmpty();
        assertThat(rows("profile_state", ws, profileId)).isZero();
        assertThat(rows("profile_event", ws, profileId)).isZero();
    }

    @Test
    void aDeleteRequestMakesTheProfileExitEverySegmentErasesItsStateAndIsReported() {
        String ws = newWorkspace();
        List<String> segmentIds = memberOfTwo(ws, "p-ada");
        String requestId = UUID.randomUUID().toString();
        desk.unavailableFor(requestId, 1);

        request(ws, requestId, "p-ada", PrivacyRequest.Kind.DELETE);

        await().atMost(DEADLINE).until(() -> !desk.reports(requestId).isEmpty());
        assertErased(ws, "p-ada", segmentIds);
        PrivacyOutcome report = desk.reports(requestId).getFirst();
        assertThat(report.getService()).isEqualTo("segment-service");
        assertThat(report.getOutcome()).isEqualTo("done");
        assertThat(report.getDetail()).isEqualTo("exited 2 segments; state and 1 kept events erased");
    }

    @Test
    void aProfileDeletedMessageErasesTheSame() {
        String ws = newWorkspace();
        List<String> segmentIds = memberOfTwo(ws, "p-bob");

        KafkaTopics.produce(deleted(ws, "p-bob"));

        await().atMost(DEADLINE).until(() -> rows("profile_state", ws, "p-bob") == 0);
        assertErased(ws, "p-bob", segmentIds);
    }

    @Test
    void anExportReportsTraitsMembershipsAndKeptEventsAndErasesNothing() throws Exception {
        String ws = newWorkspace();
        memberOfTwo(ws, "p-cy");
        String requestId = UUID.randomUUID().toString();

        request(ws, requestId, "p-cy", PrivacyRequest.Kind.EXPORT);

        await().atMost(DEADLINE).until(() -> !desk.reports(requestId).isEmpty());
        JsonNode export = new ObjectMapper().readTree(desk.reports(requestId).getFirst().getExportJson().toByteArray());
        assertThat(export.at("/traits/email").asText()).isEqualTo("ada@example.com");
        assertThat(export.get("segments")).extracting(segment -> segment.get("name").asText())
                .containsExactlyInAnyOrder("Pro plan", "Buyers");
        assertThat(export.at("/events/0/event").asText()).isEqualTo("Order Completed");
        assertThat(export.at("/events/0/properties/revenue").asInt()).isEqualTo(42);
        assertThat(segmentsOf(ws, "p-cy")).hasSize(2);
    }
}
