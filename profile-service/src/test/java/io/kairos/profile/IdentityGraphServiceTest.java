package io.kairos.profile;

import static io.kairos.profile.GrpcErrors.assertFails;
import static io.kairos.profile.GrpcErrors.assertInvalid;
import static io.kairos.profile.GrpcErrors.assertNotFound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.kairos.api.common.Identifier;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.api.profile.DroppedIdentifier;
import io.kairos.api.profile.GetIdentityGraphRequest;
import io.kairos.api.profile.GetIdentityRulesRequest;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.api.profile.GraphIdentifier;
import io.kairos.api.profile.IdentityGraph;
import io.kairos.api.profile.IdentityRules;
import io.kairos.api.profile.LookupProfileRequest;
import io.kairos.api.profile.MergeProfilesRequest;
import io.kairos.api.profile.MergeProfilesResponse;
import io.kairos.api.profile.MergedProfile;
import io.kairos.api.profile.ProfileServiceGrpc;
import io.kairos.api.profile.UpdateIdentityRulesRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Identity rules per workspace, the identity graph of a profile, and manual merges, over gRPC with events over Kafka. */
@QuarkusTest
class IdentityGraphServiceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static RawEvents rawEvents;
    private static KafkaTopicTail resolved;

    @GrpcClient("profile")
    ProfileServiceGrpc.ProfileServiceBlockingStub profiles;

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
    void aWorkspaceStartsWithTheDefaultRulesAndResolvesWithItsOwnOnceSet() {
        String ws = RawEvents.workspace();
        IdentityRules defaults = profiles.getIdentityRules(GetIdentityRulesRequest.newBuilder().setWorkspace(ws).build());
        assertThat(defaults.getVersion()).isZero();
        assertThat(defaults.getLimitsMap()).containsEntry("userId", 1).containsEntry("email", 5);
        assertThat(defaults.getPriorityList()).startsWith("userId", "email", "phone");
        assertThat(defaults.getBlockedValuesList()).contains("null", "undefined", "anonymous");

        IdentityRules oneEmailAndGuests = profiles.updateIdentityRules(UpdateIdentityRulesRequest.newBuilder()
                .setWorkspace(ws).setUpdatedBy("admin-test")
                .setRules(IdentityRules.newBuilder().putLimits("userId", 1).putLimits("email", 1)
                        .addAllPriority(List.of("userId", "email", "*", "anonymousId"))
                        .addAllBlockedValues(List.of("null", " Guest ")))
                .build());
        assertThat(oneEmailAndGuests.getVersion()).isEqualTo(1);
        assertThat(oneEmailAndGuests.getBlockedValuesList()).containsExactly("guest", "null");
        assertThat(profiles.getIdentityRules(GetIdentityRulesRequest.newBuilder().setWorkspace(ws).build()))
                .isEqualTo(oneEmailAndGuests);

        rawEvents.send(RawEvents.event(ws, "m-1", "identify", Map.of("userId", "u-1", "anonymousId", "guest",
                "traits", Map.of("email", "ada@example.com"))).build());
        rawEvents.send(RawEvents.event(ws, "m-2", "identify", Map.of("userId", "u-1",
                "traits", Map.of("email", "ada@work.example"))).build());

        String profileId = awaitProfile(ws, "userId", "u-1");
        IdentityGraph graph = await().atMost(DEADLINE).until(() -> graph(ws, profileId), found -> found.getDroppedCount() == 1);
        assertThat(graph.getIdentifiersList()).extracting(GraphIdentifier::getIdentifier)
                .containsExactlyInAnyOrder(identifier("userId", "u-1"), identifier("email", "ada@example.com"));
        DroppedIdentifier dropped = graph.getDropped(0);
        assertThat(dropped.getIdentifier()).isEqualTo(identifier("email", "ada@work.example"));
        assertThat(dropped.getMessageId()).isEqualTo("m-2");
        assertThat(dropped.getReason()).isEqualTo("LIMIT_REACHED");
        assertThat(dropped.getDetail()).contains("email").contains("limit is 1");
        // "guest" is blocked here: it neither became an identifier nor can be looked up.
        assertInvalid(() -> profiles.lookupProfile(LookupProfileRequest.newBuilder().setWorkspace(ws)
                .setIdentifier(identifier("anonymousId", "GUEST")).build()), "BLOCKED_IDENTIFIER", "/identifier/value");
    }

    @Test
    void invalidRulesAreRefusedNamingTheFieldAndChangeNothing() {
        String ws = RawEvents.workspace();

        assertInvalid(() -> update(ws, IdentityRules.newBuilder().putLimits("email", 0)), "INVALID_IDENTITY_RULES", "/rules/limits/email");
        assertInvalid(() -> update(ws, IdentityRules.newBuilder().addAllPriority(List.of("userId", "email", "userId"))),
                "INVALID_IDENTITY_RULES", "/rules/priority/2");
        assertInvalid(() -> update(ws, IdentityRules.newBuilder().addPriority(" email")), "INVALID_IDENTITY_RULES", "/rules/priority/0");
        assertInvalid(() -> update(ws, IdentityRules.newBuilder().addBlockedValues("x".repeat(257))),
                "INVALID_IDENTITY_RULES", "/rules/blockedValues/0");
        assertInvalid(() -> profiles.updateIdentityRules(UpdateIdentityRulesRequest.newBuilder().setWorkspace(ws)
                .setRules(IdentityRules.newBuilder().putLimits("email", 2)).build()), "MISSING_FIELD", "/updatedBy");

        assertThat(profiles.getIdentityRules(GetIdentityRulesRequest.newBuilder().setWorkspace(ws).build()).getVersion()).isZero();
    }

    @Test
    void profilesMergedByHandBecomeOneAndTheMergeIsAnnounced() {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-web", "page", Map.of("anonymousId", "a-web", "name", "Home")).build());
        String web = awaitProfile(ws, "anonymousId", "a-web");
        rawEvents.send(RawEvents.event(ws, "m-app", "screen", Map.of("anonymousId", "a-app", "name", "Cart")).build());
        String app = awaitProfile(ws, "anonymousId", "a-app");

        MergeProfilesResponse merged = profiles.mergeProfiles(merge(ws, app, web));

        assertThat(merged.getSurvivorId()).as("the older profile survives").isEqualTo(web);
        assertThat(merged.getMergedIdsList()).containsExactly(app);
        assertThat(awaitProfile(ws, "anonymousId", "a-app")).isEqualTo(web);
        assertThat(profiles.getProfile(GetProfileRequest.newBuilder().setWorkspace(ws).setProfileId(app).build()).getProfileId())
                .isEqualTo(web);
        IdentityGraph graph = graph(ws, app);
        assertThat(graph.getProfileId()).isEqualTo(web);
        assertThat(graph.getMergedList()).extracting(MergedProfile::getProfileId).containsExactly(app);
        assertThat(graph.getMerged(0).getCause()).startsWith("manual:");
        assertThat(profiles.mergeProfiles(merge(ws, web, app))).as("repeating it answers the same").isEqualTo(merged);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(resolved.withKeyPrefix(ws + ":" + web).stream()
                .map(IdentityGraphServiceTest::parse).filter(ResolvedEvent::hasMerged).toList())
                .isNotEmpty()
                .allSatisfy(announced -> assertThat(announced.getMerged().getMergedIdsList()).containsExactly(app)));
    }

    @Test
    void profilesOfTwoUserIdsAreNeverMergedByHand() {
        String ws = RawEvents.workspace();
        rawEvents.send(RawEvents.event(ws, "m-ada", "identify", Map.of("userId", "ada")).build());
        rawEvents.send(RawEvents.event(ws, "m-bob", "identify", Map.of("userId", "bob")).build());
        String ada = awaitProfile(ws, "userId", "ada");
        String bob = awaitProfile(ws, "userId", "bob");

        assertFails(() -> profiles.mergeProfiles(merge(ws, ada, bob)), Status.Code.FAILED_PRECONDITION, "MERGE_BREAKS_LIMIT");
        assertThat(awaitProfile(ws, "userId", "bob")).isEqualTo(bob);

        assertNotFound(() -> profiles.mergeProfiles(merge(ws, ada, UUID.randomUUID().toString())));
        assertInvalid(() -> profiles.mergeProfiles(merge(ws, ada, ada)), "TOO_FEW_PROFILES", "/profileIds");
        assertInvalid(() -> profiles.mergeProfiles(merge(ws, ada, "not-a-uuid")), "INVALID_PROFILE_ID", "/profileIds/1");
        assertNotFound(() -> graph(ws, UUID.randomUUID().toString()));
    }

    private void update(String ws, IdentityRules.Builder rules) {
        profiles.updateIdentityRules(UpdateIdentityRulesRequest.newBuilder().setWorkspace(ws).setUpdatedBy("admin-test")
                .setRules(rules).build());
    }

    private IdentityGraph graph(String ws, String profileId) {
        return profiles.getIdentityGraph(GetIdentityGraphRequest.newBuilder().setWorkspace(ws).setProfileId(profileId).build());
    }

    private static MergeProfilesRequest merge(String ws, String... profileIds) {
        return MergeProfilesRequest.newBuilder().setWorkspace(ws).addAllProfileIds(List.of(profileIds))
                .setRequestedBy("admin-test").build();
    }

    private String awaitProfile(String ws, String type, String value) {
        return Lookups.awaitProfileId(profiles, ws, type, value);
    }

    private static Identifier identifier(String type, String value) {
        return Lookups.identifier(type, value);
    }

    private static ResolvedEvent parse(ConsumerRecord<String, byte[]> record) {
        try {
            return ResolvedEvent.parseFrom(record.value());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
