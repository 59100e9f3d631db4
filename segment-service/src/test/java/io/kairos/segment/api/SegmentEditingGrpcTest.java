package io.kairos.segment.api;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.kairos.api.events.MembershipChange;
import io.kairos.api.events.MembershipChange.Transition;
import io.kairos.api.segment.ListMembersRequest;
import io.kairos.api.segment.ListSegmentsRequest;
import io.kairos.api.segment.Member;
import io.kairos.api.segment.PreviewSegmentRequest;
import io.kairos.api.segment.PreviewSegmentResponse;
import io.kairos.api.segment.Segment;
import io.kairos.api.segment.SegmentServiceGrpc.SegmentServiceBlockingStub;
import io.kairos.api.segment.UpdateSegmentRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.kairos.segment.api.GrpcFailures.failsWith;
import static io.kairos.segment.api.ResolvedEvents.identify;
import static io.kairos.segment.api.ResolvedEvents.track;
import static io.kairos.segment.api.SegmentDefinitionGrpcTest.create;
import static io.kairos.segment.api.SegmentDefinitionGrpcTest.newWorkspace;
import static io.kairos.segment.api.SegmentDefinitionGrpcTest.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** UpdateSegment and PreviewSegment over gRPC, against profiles fed through kairos.events.resolved. */
@QuarkusTest
class SegmentEditingGrpcTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Every profile of these tests has seen=true: entering this segment proves its earlier events were processed. */
    private static final String SEEN = "{\"name\":\"Seen\",\"condition\":{\"trait\":\"seen\",\"eq\":true}}";

    @GrpcClient("segments")
    SegmentServiceBlockingStub segments;

    KafkaTopics.Tail membership;

    @BeforeEach
    void tailMembershipTopic() {
        membership = new KafkaTopics.Tail(KafkaTopics.MEMBERSHIP);
    }

    @AfterEach
    void closeTail() {
        membership.close();
    }

    private static UpdateSegmentRequest update(String workspace, String segmentId, String json, int expectedVersion) {
        return UpdateSegmentRequest.newBuilder().setWorkspace(workspace).setSegmentId(segmentId)
                .setDefinitionJson(ByteString.copyFromUtf8(json)).setExpectedVersion(expectedVersion).build();
    }

    private static PreviewSegmentRequest preview(String workspace, String json, int sampleSize) {
        return PreviewSegmentRequest.newBuilder().setWorkspace(workspace)
                .setDefinitionJson(ByteString.copyFromUtf8(json)).setSampleSize(sampleSize).build();
    }

    private static String ageAtLeast(int age) {
        return "{\"name\":\"Grown up\",\"condition\":{\"trait\":\"age\",\"gte\":" + age + "}}";
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private List<String> members(String ws, String segmentId) {
        return segments.listMembers(ListMembersRequest.newBuilder().setWorkspace(ws).setSegmentId(segmentId)
                        .setPageSize(SegmentGrpcService.MAX_PAGE_SIZE).build())
                .getMembersList().stream().map(Member::getProfileId).toList();
    }

    private List<MembershipChange> changes(String ws, String segmentId) {
        return membership.changes(ws).stream().filter(c -> c.getSegmentId().equals(segmentId)).toList();
    }

    private List<MembershipChange> awaitChanges(String ws, String segmentId, int count) {
        return await(count + " changes of " + segmentId).atMost(DEADLINE)
                .until(() -> changes(ws, segmentId), seen -> seen.size() >= count);
    }

    /** Profiles "p-<age>" with the given ages (and seen=true), all processed once this returns. */
    private void profilesAged(String ws, String seenSegmentId, int... ages) {
        KafkaTopics.produceAll(IntStream.of(ages).mapToObj(age -> {
            String traits = "{\"seen\":true,\"age\":" + age + "}";
            return identify(ws, "p-" + age, id(), traits, traits);
        }).toList());
        await("profiles processed").atMost(DEADLINE).until(() -> members(ws, seenSegmentId).size() == ages.length);
    }

    @Test
    void wideningAnUpdateAdmitsProfilesAndNarrowingOneLetsMembersGo() {
        String ws = newWorkspace();
        Segment seen = segments.createSegment(create(ws, SEEN));
        profilesAged(ws, seen.getSegmentId(), 30, 35, 50);
        Segment grownUp = segments.createSegment(create(ws, ageAtLeast(40)));
        assertThat(members(ws, grownUp.getSegmentId())).containsExactly("p-50");
        awaitChanges(ws, grownUp.getSegmentId(), 1);

        Segment widened = segments.updateSegment(update(ws, grownUp.getSegmentId(), ageAtLeast(33), 0));

        assertThat(widened.getVersion()).isEqualTo(2);
        assertThat(widened.getCreatedAtMs()).isEqualTo(grownUp.getCreatedAtMs());
        assertThat(widened.getUpdatedAtMs()).isGreaterThanOrEqualTo(grownUp.getUpdatedAtMs());
        assertThat(widened.getDefinitionJson().toStringUtf8()).isEqualTo(ageAtLeast(33));
        assertThat(segments.getSegment(ref(ws, grownUp.getSegmentId()))).isEqualTo(widened);
        assertThat(members(ws, grownUp.getSegmentId())).as("members as soon as the call returns")
                .containsExactly("p-35", "p-50");
        MembershipChange entered = awaitChanges(ws, grownUp.getSegmentId(), 2).get(1);
        assertThat(entered.getProfileId()).isEqualTo("p-35");
        assertThat(entered.getTransition()).isEqualTo(Transition.ENTERED);
        assertThat(entered.getSegmentVersion()).isEqualTo(2);
        assertThat(entered.getReason()).isEqualTo("segment updated");
        assertThat(entered.getCauseMessageId()).isEmpty();
        assertThat(entered.getTraitsJson().toStringUtf8()).contains("\"age\":35");

        Segment narrowed = segments.updateSegment(update(ws, grownUp.getSegmentId(), ageAtLeast(45), 2));

        assertThat(narrowed.getVersion()).isEqualTo(3);
        assertThat(members(ws, grownUp.getSegmentId())).containsExactly("p-50");
        MembershipChange exited = awaitChanges(ws, grownUp.getSegmentId(), 3).get(2);
        assertThat(exited.getProfileId()).isEqualTo("p-35");
        assertThat(exited.getTransition()).isEqualTo(Transition.EXITED);
        assertThat(exited.getSegmentVersion()).isEqualTo(3);
        // p-50 stayed a member throughout: it entered once and was never announced again.
        await("no further changes").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> changes(ws, grownUp.getSegmentId()).size() == 3);
        assertThat(changes(ws, grownUp.getSegmentId()))
                .extracting(MembershipChange::getChangeId).doesNotHaveDuplicates();
    }

    @Test
    void anUpdatedEventConditionIsEvaluatedOnTheEventsAlreadyKept() {
        String ws = newWorkspace();
        Segment seen = segments.createSegment(create(ws, SEEN));
        Segment buyers = segments.createSegment(create(ws,
                "{\"name\":\"Buyers\",\"condition\":{\"event\":\"Order Completed\",\"within\":\"PT1H\",\"count\":{\"gte\":2}}}"));
        String traits = "{\"seen\":true}";
        KafkaTopics.produce(track(ws, "p-once", id(), "Order Completed", Instant.now(), "{}", traits));
        KafkaTopics.produce(identify(ws, "p-once", id(), traits, traits));
        await("profile processed").atMost(DEADLINE).until(() -> members(ws, seen.getSegmentId()).size() == 1);
        assertThat(members(ws, buyers.getSegmentId())).isEmpty();

        segments.updateSegment(update(ws, buyers.getSegmentId(),
                "{\"name\":\"Buyers\",\"condition\":{\"event\":\"Order Completed\",\"within\":\"PT1H\"}}", 1));

        assertThat(members(ws, buyers.getSegmentId())).containsExactly("p-once");
        MembershipChange entered = awaitChanges(ws, buyers.getSegmentId(), 1).getFirst();
        assertThat(entered.getSegmentVersion()).isEqualTo(2);
        assertThat(entered.getTransition()).isEqualTo(Transition.ENTERED);
    }

    @Test
    void theStreamEvaluatesTheNewVersionOnItsNewDependencies() {
        String ws = newWorkspace();
        Segment plan = segments.createSegment(create(ws, "{\"name\":\"Gold\",\"condition\":{\"trait\":\"plan\",\"eq\":\"gold\"}}"));

        segments.updateSegment(update(ws, plan.getSegmentId(), "{\"name\":\"Gold\",\"condition\":{\"trait\":\"tier\",\"eq\":\"gold\"}}", 1));
        KafkaTopics.produce(identify(ws, "p-1", id(), "{\"plan\":\"gold\"}", "{\"plan\":\"gold\"}"));
        KafkaTopics.produce(identify(ws, "p-1", id(), "{\"plan\":\"gold\",\"tier\":\"gold\"}", "{\"tier\":\"gold\"}"));

        MembershipChange entered = awaitChanges(ws, plan.getSegmentId(), 1).getFirst();
        assertThat(entered.getSegmentVersion()).isEqualTo(2);
        assertThat(entered.getReason()).contains("tier");
        assertThat(entered.getTraitsJson().toStringUtf8()).contains("tier");
    }

    @ParameterizedTest(name = "{1} at {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"Grown up\",\"condition\":{\"trait\":\"age\",\"equals\":40}}|UNKNOWN_OPERATOR|/condition/equals",
            "{\"condition\":{\"trait\":\"age\",\"gte\":40}}|MISSING_FIELD|/name",
            "{\"name\":\"Grown up\",\"condition\":{\"any\":[{\"segment\":\"SELF\"}]}}|UNSUPPORTED_CONDITION|/condition/any/0/segment",
            "not json|INVALID_JSON|''",
    })
    void anInvalidUpdateLeavesTheCurrentVersionAsItWas(String json, String reason, String field) {
        String ws = newWorkspace();
        Segment seen = segments.createSegment(create(ws, SEEN));
        profilesAged(ws, seen.getSegmentId(), 50);
        Segment grownUp = segments.createSegment(create(ws, ageAtLeast(40)));

        ErrorInfo info = failsWith(Status.Code.INVALID_ARGUMENT, () -> segments.updateSegment(
                update(ws, grownUp.getSegmentId(), json.replace("SELF", grownUp.getSegmentId()), 0)));

        assertThat(info.getReason()).isEqualTo(reason);
        assertThat(info.getMetadataMap()).containsEntry("field", field);
        assertThat(segments.getSegment(ref(ws, grownUp.getSegmentId()))).isEqualTo(grownUp);
        assertThat(members(ws, grownUp.getSegmentId())).containsExactly("p-50");
    }

    @Test
    void anUpdateMadeOnAnOlderVersionIsRefused() {
        String ws = newWorkspace();
        Segment segment = segments.createSegment(create(ws, ageAtLeast(40)));
        Segment second = segments.updateSegment(update(ws, segment.getSegmentId(), ageAtLeast(41), 1));

        ErrorInfo conflict = failsWith(Status.Code.FAILED_PRECONDITION,
                () -> segments.updateSegment(update(ws, segment.getSegmentId(), ageAtLeast(42), 1)));

        assertThat(conflict.getReason()).isEqualTo("VERSION_CONFLICT");
        assertThat(conflict.getMetadataMap()).containsEntry("field", "/expected_version");
        assertThat(segments.getSegment(ref(ws, segment.getSegmentId()))).isEqualTo(second);
        failsWith(Status.Code.FAILED_PRECONDITION,
                () -> segments.updateSegment(update(ws, segment.getSegmentId(), ageAtLeast(42), 3)));
        assertThat(segments.updateSegment(update(ws, segment.getSegmentId(), ageAtLeast(42), 2)).getVersion()).isEqualTo(3);
        assertThat(segments.updateSegment(update(ws, segment.getSegmentId(), ageAtLeast(43), 0)).getVersion())
                .as("0 does not check").isEqualTo(4);
        ErrorInfo negative = failsWith(Status.Code.INVALID_ARGUMENT,
                () -> segments.updateSegment(update(ws, segment.getSegmentId(), ageAtLeast(44), -1)));
        assertThat(negative.getMetadataMap()).containsEntry("field", "/expected_version");
        assertThat(segments.getSegment(ref(ws, segment.getSegmentId())).getVersion()).isEqualTo(4);
    }

    @Test
    void anUpdateKeepsNamesUniqueAndFindsOnlySegmentsOfItsWorkspace() {
        String ws = newWorkspace();
        Segment pro = segments.createSegment(create(ws, "{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}"));
        Segment free = segments.createSegment(create(ws, "{\"name\":\"Free\",\"condition\":{\"trait\":\"plan\",\"eq\":\"free\"}}"));

        ErrorInfo taken = failsWith(Status.Code.ALREADY_EXISTS, () -> segments.updateSegment(update(ws, free.getSegmentId(),
                "{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"eq\":\"basic\"}}", 0)));
        Segment renamed = segments.updateSegment(update(ws, free.getSegmentId(),
                "{\"name\":\"Basic\",\"condition\":{\"trait\":\"plan\",\"eq\":\"basic\"}}", 0));
        Segment sameName = segments.updateSegment(update(ws, pro.getSegmentId(),
                "{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"in\":[\"pro\",\"team\"]}}", 0));

        assertThat(taken.getReason()).isEqualTo("SEGMENT_NAME_TAKEN");
        assertThat(taken.getMetadataMap()).containsEntry("field", "/name");
        assertThat(renamed.getName()).isEqualTo("Basic");
        assertThat(sameName.getVersion()).isEqualTo(2);
        // The old name is free again.
        segments.createSegment(create(ws, "{\"name\":\"Free\",\"condition\":{\"trait\":\"plan\",\"eq\":\"free\"}}"));

        String other = newWorkspace();
        ErrorInfo foreign = failsWith(Status.Code.NOT_FOUND,
                () -> segments.updateSegment(update(other, pro.getSegmentId(), ageAtLeast(40), 0)));
        failsWith(Status.Code.NOT_FOUND, () -> segments.updateSegment(update(ws, id(), ageAtLeast(40), 0)));
        ErrorInfo missing = failsWith(Status.Code.INVALID_ARGUMENT, () -> segments.updateSegment(update(ws, "", ageAtLeast(40), 0)));
        assertThat(foreign.getReason()).isEqualTo("SEGMENT_NOT_FOUND");
        assertThat(missing.getMetadataMap()).containsEntry("field", "/segment_id");
        assertThat(segments.getSegment(ref(ws, pro.getSegmentId()))).isEqualTo(sameName);
    }

    @Test
    void aPreviewEvaluatesAnUnsavedDefinitionAndKeepsNothing() {
        String ws = newWorkspace();
        Segment seen = segments.createSegment(create(ws, SEEN));
        Segment buyers = segments.createSegment(create(ws,
                "{\"name\":\"Buyers\",\"condition\":{\"event\":\"Order Completed\",\"within\":\"PT1H\"}}"));
        profilesAged(ws, seen.getSegmentId(), 20, 35, 40, 50);
        String traits = "{\"seen\":true,\"age\":40}";
        KafkaTopics.produce(track(ws, "p-40", id(), "Order Completed", Instant.now(), "{\"total\":80}", traits));
        KafkaTopics.produce(track(ws, "p-40", id(), "Order Completed", Instant.now(), "{\"total\":20}", traits));
        // Four profiles entered Seen, one entered Buyers: all there is to publish.
        await("changes published").atMost(DEADLINE).until(() -> membership.changes(ws).size() == 5);

        PreviewSegmentResponse grownUps = segments.previewSegment(preview(ws,
                "{\"condition\":{\"trait\":\"age\",\"gte\":35}}", 2));
        PreviewSegmentResponse bigBuyers = segments.previewSegment(preview(ws, "{\"name\":\"Big buyers\",\"condition\":"
                + "{\"event\":\"Order Completed\",\"within\":\"PT1H\",\"where\":[{\"property\":\"total\",\"gte\":50}]}}", 0));
        PreviewSegmentResponse repeat = segments.previewSegment(preview(ws,
                "{\"condition\":{\"event\":\"Order Completed\",\"within\":\"PT1H\",\"count\":{\"gte\":3}}}", 0));

        assertThat(grownUps.getEstimatedSize()).isEqualTo(3);
        assertThat(grownUps.getSampleProfileIdsList()).containsExactly("p-35", "p-40");
        assertThat(grownUps.getEvaluatedProfiles()).isEqualTo(4);
        assertThat(bigBuyers.getEstimatedSize()).isEqualTo(1);
        assertThat(bigBuyers.getSampleProfileIdsList()).containsExactly("p-40");
        assertThat(repeat.getEstimatedSize()).isZero();
        assertThat(repeat.getSampleProfileIdsList()).isEmpty();
        assertThat(segments.listSegments(ListSegmentsRequest.newBuilder().setWorkspace(ws).build()).getSegmentsList())
                .extracting(Segment::getSegmentId).containsExactly(seen.getSegmentId(), buyers.getSegmentId());
        await("nothing published").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> membership.changes(ws).size() == 5);

        PreviewSegmentResponse foreign = segments.previewSegment(preview(newWorkspace(),
                "{\"condition\":{\"trait\":\"age\",\"gte\":35}}", 0));
        assertThat(foreign.getEstimatedSize()).isZero();
        assertThat(foreign.getEvaluatedProfiles()).isZero();
        assertThat(foreign.getSampleProfileIdsList()).isEmpty();
    }

    @Test
    void aPreviewSamplesTenByDefaultAndAtMostAHundredInProfileIdOrder() {
        String ws = newWorkspace();
        Segment seen = segments.createSegment(create(ws, SEEN));
        profilesAged(ws, seen.getSegmentId(), IntStream.range(0, 105).toArray());
        String everyone = "{\"condition\":{\"trait\":\"seen\",\"eq\":true}}";

        PreviewSegmentResponse byDefault = segments.previewSegment(preview(ws, everyone, 0));
        PreviewSegmentResponse capped = segments.previewSegment(preview(ws, everyone, 1000));

        assertThat(byDefault.getSampleProfileIdsList())
                .containsExactly("p-0", "p-1", "p-10", "p-100", "p-101", "p-102", "p-103", "p-104", "p-11", "p-12");
        assertThat(capped.getSampleProfileIdsList()).hasSize(100).isSorted().doesNotHaveDuplicates();
        assertThat(capped.getEstimatedSize()).isEqualTo(105);
        assertThat(capped.getEvaluatedProfiles()).isEqualTo(105);
    }

    @ParameterizedTest(name = "{1} at {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"condition\":{\"trait\":\"age\",\"equals\":40}}|UNKNOWN_OPERATOR|/condition/equals",
            "{\"name\":\"\",\"condition\":{\"trait\":\"age\",\"gte\":40}}|INVALID_VALUE|/name",
            "{\"name\":\"x\"}|MISSING_FIELD|/condition",
            "{\"condition\":{\"event\":\"Order\",\"within\":\"P365D\",\"sum\":{\"property\":\"revenue\",\"gte\":500}}}|UNSUPPORTED_CONDITION|/condition/sum",
            "[]|INVALID_VALUE_TYPE|''",
    })
    void anInvalidPreviewIsRefusedAsCreateWouldRefuseIt(String json, String reason, String field) {
        String ws = newWorkspace();

        ErrorInfo info = failsWith(Status.Code.INVALID_ARGUMENT, () -> segments.previewSegment(preview(ws, json, 0)));

        assertThat(info.getReason()).isEqualTo(reason);
        assertThat(info.getMetadataMap()).containsEntry("field", field);
    }

    @Test
    void aPreviewNeedsAWorkspaceAndASensibleSampleSize() {
        ErrorInfo workspace = failsWith(Status.Code.INVALID_ARGUMENT,
                () -> segments.previewSegment(preview("", "{\"condition\":{\"trait\":\"a\",\"eq\":1}}", 0)));
        ErrorInfo sample = failsWith(Status.Code.INVALID_ARGUMENT,
                () -> segments.previewSegment(preview(newWorkspace(), "{\"condition\":{\"trait\":\"a\",\"eq\":1}}", -1)));

        assertThat(workspace.getMetadataMap()).containsEntry("field", "/workspace");
        assertThat(sample.getReason()).isEqualTo("INVALID_SAMPLE_SIZE");
        assertThat(sample.getMetadataMap()).containsEntry("field", "/sample_size");
    }
}
