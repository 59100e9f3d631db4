package io.kairos.segment.api;

import com.google.protobuf.ByteString;
import io.kairos.api.segment.CreateSegmentRequest;
import io.kairos.api.segment.DeleteSegmentResponse;
import io.kairos.api.segment.ListMembersRequest;
import io.kairos.api.segment.ListMembersResponse;
import io.kairos.api.segment.ListSegmentsRequest;
import io.kairos.api.segment.ListSegmentsResponse;
import io.kairos.api.segment.Member;
import io.kairos.api.segment.MutinySegmentServiceGrpc;
import io.kairos.api.segment.PreviewSegmentRequest;
import io.kairos.api.segment.PreviewSegmentResponse;
import io.kairos.api.segment.ProfileSegment;
import io.kairos.api.segment.ProfileSegmentsRequest;
import io.kairos.api.segment.ProfileSegmentsResponse;
import io.kairos.api.segment.Segment;
import io.kairos.api.segment.SegmentRef;
import io.kairos.api.segment.UpdateSegmentRequest;
import io.kairos.segment.domain.Condition;
import io.kairos.segment.domain.DefinitionError;
import io.kairos.segment.domain.InvalidDefinitionException;
import io.kairos.segment.domain.SegmentDefinition;
import io.kairos.segment.domain.SegmentDefinitionParser;
import io.kairos.segment.store.AudiencePreview;
import io.kairos.segment.store.MembershipDirectory;
import io.kairos.segment.store.MembershipLedger;
import io.kairos.segment.store.MembershipLedger.DefinitionChange;
import io.kairos.segment.store.SegmentCatalog;
import io.kairos.segment.store.SegmentEntity;
import io.kairos.segment.store.SegmentNameTakenException;
import io.kairos.segment.store.SegmentVersionConflictException;
import io.kairos.segment.stream.MembershipPublisher;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;

/** The gRPC SegmentService: definitions (validated by the DSL parser) and membership queries. */
@GrpcService
public class SegmentGrpcService extends MutinySegmentServiceGrpc.SegmentServiceImplBase {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    static final int DEFAULT_SAMPLE_SIZE = 10;
    static final int MAX_SAMPLE_SIZE = 100;

    @Inject
    SegmentCatalog catalog;

    @Inject
    MembershipLedger ledger;

    @Inject
    MembershipDirectory directory;

    @Inject
    MembershipPublisher publisher;

    @Inject
    AudiencePreview preview;

    @Override
    public Uni<Segment> createSegment(CreateSegmentRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            SegmentDefinition definition = definition(request.getDefinitionJson());
            return catalog.create(workspace, definition)
                    .onFailure(SegmentNameTakenException.class)
                    .transform(e -> GrpcErrors.alreadyExists("SEGMENT_NAME_TAKEN", "/name", e.getMessage()))
                    // A segment defined after events were seen starts with the right members.
                    .call(segment -> reevaluateKnownProfiles(workspace, segment, DefinitionChange.CREATED))
                    .map(SegmentGrpcService::toProto);
        });
    }

    @Override
    public Uni<Segment> updateSegment(UpdateSegmentRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            String segmentId = segmentId(request.getSegmentId());
            if (request.getExpectedVersion() < 0) {
                throw GrpcErrors.invalidArgument("INVALID_VERSION", "/expected_version",
                        "expected_version is a version the segment had (1 or more), or 0 not to check");
            }
            SegmentDefinition definition = definition(request.getDefinitionJson());
            return catalog.update(workspace, segmentId, definition, request.getExpectedVersion())
                    .onFailure(SegmentNameTakenException.class)
                    .transform(e -> GrpcErrors.alreadyExists("SEGMENT_NAME_TAKEN", "/name", e.getMessage()))
                    .onFailure(SegmentVersionConflictException.class)
                    .transform(e -> GrpcErrors.failedPrecondition("VERSION_CONFLICT", "/expected_version", e.getMessage()))
                    .onItem().ifNull().failWith(() -> segmentNotFound(segmentId))
                    // Members are those of the new version as soon as the call returns.
                    .call(segment -> reevaluateKnownProfiles(workspace, segment, DefinitionChange.UPDATED))
                    .map(SegmentGrpcService::toProto);
        });
    }

    @Override
    public Uni<PreviewSegmentResponse> previewSegment(PreviewSegmentRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            if (request.getSampleSize() < 0) {
                throw GrpcErrors.invalidArgument("INVALID_SAMPLE_SIZE", "/sample_size", "sample_size must not be negative");
            }
            int sampleSize = request.getSampleSize() == 0
                    ? DEFAULT_SAMPLE_SIZE : Math.min(request.getSampleSize(), MAX_SAMPLE_SIZE);
            Condition condition = validated(() -> SegmentDefinitionParser.parseDraft(request.getDefinitionJson().toByteArray()));
            return preview.estimate(workspace, condition, sampleSize)
                    .map(estimate -> PreviewSegmentResponse.newBuilder()
                            .setEstimatedSize(estimate.estimatedSize())
                            .addAllSampleProfileIds(estimate.sample())
                            .setEvaluatedProfiles(estimate.evaluatedProfiles())
                            .build());
        });
    }

    @Override
    public Uni<Segment> getSegment(SegmentRef request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            return existing(workspace, request.getSegmentId()).map(SegmentGrpcService::toProto);
        });
    }

    @Override
    public Uni<ListSegmentsResponse> listSegments(ListSegmentsRequest request) {
        return Uni.createFrom().deferred(() -> catalog.list(workspace(request.getWorkspace()))
                .map(segments -> ListSegmentsResponse.newBuilder()
                        .addAllSegments(segments.stream().map(SegmentGrpcService::toProto).toList())
                        .build()));
    }

    @Override
    public Uni<DeleteSegmentResponse> deleteSegment(SegmentRef request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            String segmentId = request.getSegmentId();
            return ledger.retireSegment(workspace, segmentId)
                    .chain(exited -> exited
                            .map(profiles -> publisher.publishPending(workspace, profiles))
                            .orElseGet(() -> Uni.createFrom().failure(segmentNotFound(segmentId))))
                    .replaceWith(DeleteSegmentResponse.getDefaultInstance());
        });
    }

    @Override
    public Uni<ListMembersResponse> listMembers(ListMembersRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            if (request.getPageSize() < 0) {
                throw GrpcErrors.invalidArgument("INVALID_PAGE_SIZE", "/page_size", "page_size must not be negative");
            }
            int pageSize = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : Math.min(request.getPageSize(), MAX_PAGE_SIZE);
            String after = afterProfile(request.getPageToken());
            return existing(workspace, request.getSegmentId())
                    .chain(segment -> directory.members(workspace, segment.id, after, pageSize + 1))
                    .map(rows -> {
                        ListMembersResponse.Builder response = ListMembersResponse.newBuilder();
                        rows.stream().limit(pageSize).forEach(row -> response.addMembers(Member.newBuilder()
                                .setProfileId(row.profileId())
                                .setEnteredAtMs(row.enteredAt().toEpochMilli())));
                        if (rows.size() > pageSize) {
                            response.setNextPageToken(pageToken(rows.get(pageSize - 1).profileId()));
                        }
                        return response.build();
                    });
        });
    }

    @Override
    public Uni<ProfileSegmentsResponse> getProfileSegments(ProfileSegmentsRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            if (request.getProfileId().isBlank()) {
                throw GrpcErrors.invalidArgument("MISSING_FIELD", "/profile_id", "profile_id is required");
            }
            return directory.segmentsOf(workspace, request.getProfileId())
                    .map(rows -> ProfileSegmentsResponse.newBuilder()
                            .addAllSegments(rows.stream().map(row -> ProfileSegment.newBuilder()
                                    .setSegmentId(row.segmentId())
                                    .setName(row.name())
                                    .setEnteredAtMs(row.enteredAt().toEpochMilli())
                                    .build()).toList())
                            .build());
        });
    }

    private Uni<Void> reevaluateKnownProfiles(String workspace, SegmentEntity segment, DefinitionChange change) {
        return ledger.reevaluateKnownProfiles(workspace, segment.id, change)
                .chain(changed -> publisher.publishPending(workspace, changed));
    }

    private Uni<SegmentEntity> existing(String workspace, String segmentId) {
        return catalog.find(workspace, segmentId(segmentId))
                .onItem().ifNull().failWith(() -> segmentNotFound(segmentId));
    }

    private static RuntimeException segmentNotFound(String segmentId) {
        return GrpcErrors.notFound("SEGMENT_NOT_FOUND", "/segment_id", "no segment '" + segmentId + "' in this workspace");
    }

    private static String workspace(String workspace) {
        if (workspace.isBlank()) {
            throw GrpcErrors.invalidArgument("MISSING_FIELD", "/workspace", "workspace is required");
        }
        return workspace;
    }

    private static String segmentId(String segmentId) {
        if (segmentId.isBlank()) {
            throw GrpcErrors.invalidArgument("MISSING_FIELD", "/segment_id", "segment_id is required");
        }
        return segmentId;
    }

    private static SegmentDefinition definition(ByteString json) {
        return validated(() -> SegmentDefinitionParser.parse(json.toByteArray()));
    }

    /** Runs the DSL parser; a rejected definition is INVALID_ARGUMENT with the parser's reason and pointer. */
    private static <T> T validated(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidDefinitionException e) {
            DefinitionError error = e.error();
            throw GrpcErrors.invalidArgument(error.reason().name(), error.pointer(), error.message());
        }
    }

    /** Page tokens are opaque to clients: the last profile id of the previous page, base64url. */
    private static String pageToken(String lastProfileId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastProfileId.getBytes(StandardCharsets.UTF_8));
    }

    private static String afterProfile(String pageToken) {
        if (pageToken.isEmpty()) {
            return "";
        }
        try {
            return new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GrpcErrors.invalidArgument("INVALID_PAGE_TOKEN", "/page_token", "page_token is not one this service issued");
        }
    }

    private static Segment toProto(SegmentEntity segment) {
        return Segment.newBuilder()
                .setWorkspace(segment.workspace)
                .setSegmentId(segment.id)
                .setName(segment.name)
                .setVersion(segment.version)
                .setDefinitionJson(ByteString.copyFrom(segment.definitionJson, StandardCharsets.UTF_8))
                .setCreatedAtMs(segment.createdAt.toEpochMilli())
                .setUpdatedAtMs(segment.updatedAt.toEpochMilli())
                .build();
    }
}
