package io.kairos.segment.api;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.kairos.api.segment.CreateSegmentRequest;
import io.kairos.api.segment.ListMembersRequest;
import io.kairos.api.segment.ListSegmentsRequest;
import io.kairos.api.segment.ProfileSegmentsRequest;
import io.kairos.api.segment.Segment;
import io.kairos.api.segment.SegmentRef;
import io.kairos.api.segment.SegmentServiceGrpc.SegmentServiceBlockingStub;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.UUID;

import static io.kairos.segment.api.GrpcFailures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class SegmentDefinitionGrpcTest {

    @GrpcClient("segments")
    SegmentServiceBlockingStub segments;

    static String newWorkspace() {
        return "ws-" + UUID.randomUUID();
    }

    static CreateSegmentRequest create(String workspace, String json) {
        return CreateSegmentRequest.newBuilder().setWorkspace(workspace).setDefinitionJson(ByteString.copyFromUtf8(json)).build();
    }

    static SegmentRef ref(String workspace, String segmentId) {
        return SegmentRef.newBuilder().setWorkspace(workspace).setSegmentId(segmentId).build();
    }

    @Test
    void createsVersionOneAndReadsItBack() {
        String ws = newWorkspace();
        long before = Instant.now().toEpochMilli();
        String json = "{\"name\":\"Repeat buyers\",\"condition\":{\"event\":\"Order Completed\",\"within\":\"PT1H\",\"count\":{\"gte\":2}}}";

        Segment created = segments.createSegment(create(ws, json));

        assertThat(created.getSegmentId()).isNotBlank();
        assertThat(created.getWorkspace()).isEqualTo(ws);
        assertThat(created.getName()).isEqualTo("Repeat buyers");
        assertThat(created.getVersion()).isEqualTo(1);
        assertThat(created.getDefinitionJson().toStringUtf8()).isEqualTo(json);
        assertThat(created.getCreatedAtMs()).isBetween(before - 1000, Instant.now().toEpochMilli() + 1000);
        assertThat(created.getUpdatedAtMs()).isEqualTo(created.getCreatedAtMs());
        assertThat(segments.getSegment(ref(ws, created.getSegmentId()))).isEqualTo(created);
        assertThat(segments.listSegments(ListSegmentsRequest.newBuilder().setWorkspace(ws).build()).getSegmentsList())
                .containsExactly(created);
    }

    @ParameterizedTest(name = "{1} at {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"Typo\",\"condition\":{\"all\":[{\"trait\":\"plan\",\"equals\":\"pro\"}]}}|UNKNOWN_OPERATOR|/condition/all/0/equals",
            "{\"name\":\"Typo\",\"conditon\":{}}|UNKNOWN_FIELD|/conditon",
            "{\"name\":\"Bad window\",\"condition\":{\"event\":\"Order\",\"within\":\"90 days\"}}|INVALID_DURATION|/condition/within",
            "{\"name\":\"Empty\",\"condition\":{\"all\":[]}}|EMPTY_GROUP|/condition/all",
            "{\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}|MISSING_FIELD|/name",
            "{\"name\":\"Wrong type\",\"condition\":{\"trait\":\"age\",\"gte\":\"18\"}}|INVALID_VALUE_TYPE|/condition/gte",
            "{\"name\":\"Sum\",\"condition\":{\"event\":\"Order\",\"within\":\"P365D\",\"sum\":{\"property\":\"revenue\",\"gte\":500}}}|UNSUPPORTED_CONDITION|/condition/sum",
            "{\"name\":\"Ref\",\"condition\":{\"any\":[{\"segment\":\"abc\"}]}}|UNSUPPORTED_CONDITION|/condition/any/0/segment",
            "not json|INVALID_JSON|''",
    })
    void rejectsInvalidDefinitionsAndStoresNothing(String json, String reason, String field) {
        String ws = newWorkspace();

        ErrorInfo info = failsWith(Status.Code.INVALID_ARGUMENT, () -> segments.createSegment(create(ws, json)));

        assertThat(info.getReason()).isEqualTo(reason);
        assertThat(info.getMetadataMap()).containsEntry("field", field);
        assertThat(segments.listSegments(ListSegmentsRequest.newBuilder().setWorkspace(ws).build()).getSegmentsList()).isEmpty();
    }

    @Test
    void rejectsASecondSegmentWithTheSameNameInOneWorkspaceOnly() {
        String ws = newWorkspace();
        String json = "{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}";
        Segment first = segments.createSegment(create(ws, json));

        ErrorInfo info = failsWith(Status.Code.ALREADY_EXISTS, () -> segments.createSegment(create(ws, json)));

        assertThat(info.getReason()).isEqualTo("SEGMENT_NAME_TAKEN");
        assertThat(info.getMetadataMap()).containsEntry("field", "/name");
        assertThat(segments.listSegments(ListSegmentsRequest.newBuilder().setWorkspace(ws).build()).getSegmentsList())
                .containsExactly(first);
        assertThat(segments.createSegment(create(newWorkspace(), json)).getName()).isEqualTo("Pro");
    }

    @Test
    void requiresAWorkspace() {
        ErrorInfo info = failsWith(Status.Code.INVALID_ARGUMENT,
                () -> segments.createSegment(create("", "{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}")));

        assertThat(info.getReason()).isEqualTo("MISSING_FIELD");
        assertThat(info.getMetadataMap()).containsEntry("field", "/workspace");
    }

    @Test
    void unknownSegmentsAreNotFound() {
        String ws = newWorkspace();

        ErrorInfo get = failsWith(Status.Code.NOT_FOUND, () -> segments.getSegment(ref(ws, UUID.randomUUID().toString())));
        failsWith(Status.Code.NOT_FOUND, () -> segments.deleteSegment(ref(ws, UUID.randomUUID().toString())));
        failsWith(Status.Code.NOT_FOUND, () -> segments.listMembers(ListMembersRequest.newBuilder()
                .setWorkspace(ws).setSegmentId(UUID.randomUUID().toString()).build()));

        assertThat(get.getReason()).isEqualTo("SEGMENT_NOT_FOUND");
        assertThat(get.getMetadataMap()).containsEntry("field", "/segment_id");
    }

    @Test
    void aSegmentIsInvisibleFromAnotherWorkspace() {
        String owner = newWorkspace();
        String other = newWorkspace();
        Segment segment = segments.createSegment(create(owner, "{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}"));

        failsWith(Status.Code.NOT_FOUND, () -> segments.getSegment(ref(other, segment.getSegmentId())));
        failsWith(Status.Code.NOT_FOUND, () -> segments.listMembers(ListMembersRequest.newBuilder()
                .setWorkspace(other).setSegmentId(segment.getSegmentId()).build()));
        failsWith(Status.Code.NOT_FOUND, () -> segments.deleteSegment(ref(other, segment.getSegmentId())));
        assertThat(segments.listSegments(ListSegmentsRequest.newBuilder().setWorkspace(other).build()).getSegmentsList()).isEmpty();

        assertThat(segments.getSegment(ref(owner, segment.getSegmentId()))).isEqualTo(segment);
    }

    @Test
    void deletedSegmentsAreGone() {
        String ws = newWorkspace();
        Segment segment = segments.createSegment(create(ws, "{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}"));

        segments.deleteSegment(ref(ws, segment.getSegmentId()));

        failsWith(Status.Code.NOT_FOUND, () -> segments.getSegment(ref(ws, segment.getSegmentId())));
        assertThat(segments.listSegments(ListSegmentsRequest.newBuilder().setWorkspace(ws).build()).getSegmentsList()).isEmpty();
        // The name is free again.
        assertThat(segments.createSegment(create(ws, "{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}"))
                .getSegmentId()).isNotEqualTo(segment.getSegmentId());
    }

    @Test
    void validatesPagingAndProfileArguments() {
        String ws = newWorkspace();
        Segment segment = segments.createSegment(create(ws, "{\"name\":\"Pro\",\"condition\":{\"trait\":\"plan\",\"eq\":\"pro\"}}"));

        ErrorInfo size = failsWith(Status.Code.INVALID_ARGUMENT, () -> segments.listMembers(ListMembersRequest.newBuilder()
                .setWorkspace(ws).setSegmentId(segment.getSegmentId()).setPageSize(-1).build()));
        ErrorInfo token = failsWith(Status.Code.INVALID_ARGUMENT, () -> segments.listMembers(ListMembersRequest.newBuilder()
                .setWorkspace(ws).setSegmentId(segment.getSegmentId()).setPageToken("%%%").build()));
        ErrorInfo profile = failsWith(Status.Code.INVALID_ARGUMENT, () -> segments.getProfileSegments(
                ProfileSegmentsRequest.newBuilder().setWorkspace(ws).build()));

        assertThat(size.getMetadataMap()).containsEntry("field", "/page_size");
        assertThat(token.getReason()).isEqualTo("INVALID_PAGE_TOKEN");
        assertThat(profile.getMetadataMap()).containsEntry("field", "/profile_id");
    }
}
