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
import io.kairos.api.segment.ProfileSegment;
import io.kairos.api.segment.ProfileSegmentsRequest;
import io.kairos.api.segment.ProfileSegmentsResponse;
import io.kairos.api.segment.Segment;
import io.kairos.api.segment.SegmentRef;
import io.kairos.segment.domain.DefinitionError;
import io.kairos.segment.domain.InvalidDefinitionException;
import io.kairos.segment.domain.SegmentDefinition;
import io.kairos.segment.domain.SegmentDefinitionParser;
import io.kairos.segment.store.MembershipDirectory;
import io.kairos.segment.store.MembershipLedger;
import io.kairos.segment.store.SegmentCatalog;
import io.kairos.segment.store.SegmentEntity;
import io.kairos.segment.store.SegmentNameTakenException;
import io.kairos.segment.stream.MembershipPublisher;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The gRPC SegmentService: definitions (validated by the DSL parser) and membership queries. */
@GrpcService
public class SegmentGrpcService extends MutinySegmentServiceGrpc.SegmentServiceImplBase {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;

    @Inject
    SegmentCatalog catalog;

    @Inject
    MembershipLedger ledger;

    @Inject
    MembershipDirectory directory;

    @Inject
    MembershipPublisher publisher;

    @Override
    public Uni<Segment> createSegment(CreateSegmentRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            SegmentDefinition definition = definition(request.getDefinitionJson());
            return catalog.create(workspace, definition)
                    .onFailure(SegmentNameTakenException.class)
                    .transform(e -> GrpcErrors.alreadyExists("SEGMENT_NAME_TAKEN", "/name", e.getMessage()))
                    // A segment defined after events were seen starts with the right members.
                    .call(segment -> ledger.admitKnownProfiles(workspace, segment.id)
                            .chain(entered -> publisher.publishPending(workspace, entered)))
                    .map(SegmentGrpcService::toProto);
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

    private Uni<SegmentEntity> existing(String workspace, String segmentId) {
        if (segmentId.isBlank()) {
            return Uni.createFrom().failure(GrpcErrors.invalidArgument("MISSING_FIELD", "/segment_id", "segment_id is required"));
        }
        return catalog.find(workspace, segmentId)
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

    private static SegmentDefinition definition(ByteString json) {
        try {
            return SegmentDefinitionParser.parse(json.toByteArray());
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
