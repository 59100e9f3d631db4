package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.api.segment.CreateSegmentRequest;
import io.kairos.api.segment.ListMembersRequest;
import io.kairos.api.segment.ListSegmentsRequest;
import io.kairos.api.segment.Member;
import io.kairos.api.segment.PreviewSegmentRequest;
import io.kairos.api.segment.Segment;
import io.kairos.api.segment.SegmentRef;
import io.kairos.api.segment.UpdateSegmentRequest;
import io.kairos.gateway.domain.Permission;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Segment definitions and membership, kept by segment-service. A definition is the JSON of
 * the condition DSL ({"name", "condition"}); it is forwarded as is (an edit without what a read
 * adds) and validated there.
 */
@Path("/api/v1/workspaces/{ws}/segments")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Segments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SegmentResource {

    /** What a read adds to a definition; ignored when a read segment is sent back. */
    private static final DefinitionEdit EDIT = new DefinitionEdit("segment", List.of("id", "version", "createdAt", "updatedAt"));

    private static final String PREVIEW_REQUEST_EXAMPLE = """
            {"condition": {"all": [
              {"event": "Order Completed", "within": "P90D", "count": {"gte": 3}},
              {"trait": "email", "exists": true}]}}""";
    private static final String PREVIEW_RESPONSE_EXAMPLE = """
            {"estimatedSize": 1234, "sample": ["6f1c2d9e-0b7a-4a51-9a43-1e2f3a4b5c6d", "7a2d3e0f-1c8b-4b62-8b54-2f3a4b5c6d7e"], "evaluatedProfiles": 48210}""";

    public record SegmentList(List<JsonNode> segments) {
    }

    public record MemberView(String profileId, Instant enteredAt) {
    }

    public record MemberPage(List<MemberView> members, String nextPageToken) {
    }

    /** How many of the workspace's profiles an unsaved definition holds for now, and the first of them by id. */
    public record SegmentPreview(long estimatedSize, List<String> sample, long evaluatedProfiles) {
    }

    @Inject
    AdminAccess access;

    @Inject
    KairosServices services;

    @Inject
    ObjectMapper json;

    @POST
    @Operation(summary = "Create a segment from a condition DSL definition")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Response> create(@PathParam("ws") String workspace, byte[] definition) {
        return access.require(workspace, Permission.WRITE_SEGMENTS)
                .chain(ignored -> {
                    var request = CreateSegmentRequest.newBuilder().setWorkspace(workspace)
                            .setDefinitionJson(ContractValues.requireObject(json, definition)).build();
                    return services.segments(segments -> segments.createSegment(request));
                })
                .map(segment -> Response.created(URI.create(
                                "/api/v1/workspaces/" + workspace + "/segments/" + segment.getSegmentId()))
                        .tag(versionTag(segment)).entity(view(segment)).build());
    }

    @GET
    @Operation(summary = "The workspace's segments")
    public Uni<SegmentList> list(@PathParam("ws") String workspace) {
        return access.require(workspace, Permission.READ_SEGMENTS)
                .chain(ignored -> services.segments(segments -> segments.listSegments(
                        ListSegmentsRequest.newBuilder().setWorkspace(workspace).build())))
                .map(response -> new SegmentList(response.getSegmentsList().stream().map(this::view).toList()));
    }

    @GET
    @Path("{segmentId}")
    @Operation(summary = "One segment", description = "Its ETag is its version, for If-Match on PUT.")
    public Uni<Response> get(@PathParam("ws") String workspace, @PathParam("segmentId") String segmentId) {
        return access.require(workspace, Permission.READ_SEGMENTS)
                .chain(ignored -> services.segments(segments -> segments.getSegment(ref(workspace, segmentId))))
                .map(segment -> Response.ok(view(segment)).tag(versionTag(segment)).build());
    }

    @PUT
    @Path("{segmentId}")
    @Operation(summary = "Replace a segment's definition",
            description = "Validated as on create and stored as the next version. The workspace's profiles are "
                    + "evaluated against it at once: those whose membership changes enter or exit, announced like "
                    + "any other membership change. A segment as GET returns it may be sent back: id, version, "
                    + "createdAt and updatedAt are ignored (an id must be this segment's). With If-Match: "
                    + "\"<version>\" (GET's ETag) the edit is refused (409 VERSION_CONFLICT) when the segment is no "
                    + "longer at that version.")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The segment as GET shows it, at its new version")
    @APIResponse(responseCode = "409", description = "If-Match named an older version (VERSION_CONFLICT), or the name "
            + "is another segment's (SEGMENT_NAME_TAKEN)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> update(@PathParam("ws") String workspace, @PathParam("segmentId") String segmentId,
                                @Parameter(description = "The version the edit was made against, quoted as GET's ETag "
                                        + "sends it (\"3\"), or * for any") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                byte[] definition) {
        return access.require(workspace, Permission.WRITE_SEGMENTS)
                .chain(ignored -> {
                    var request = UpdateSegmentRequest.newBuilder().setWorkspace(workspace).setSegmentId(segmentId)
                            .setExpectedVersion(EDIT.expectedVersion(ifMatch))
                            .setDefinitionJson(EDIT.definition(json, segmentId, definition)).build();
                    return services.segments(segments -> segments.updateSegment(request));
                })
                .map(segment -> Response.ok(view(segment)).tag(versionTag(segment)).build());
    }

    @POST
    @Path("preview")
    @Operation(summary = "Preview an unsaved segment definition",
            description = "Evaluates the definition (validated as on create; the name may be left out) over the "
                    + "workspace's profiles as of now: how many it holds for, and the first of them by profile id. "
                    + "Nothing is stored and no membership changes.")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "repeat buyers with an email", value = PREVIEW_REQUEST_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The estimate",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SegmentPreview.class),
                    examples = @ExampleObject(name = "repeat buyers with an email", value = PREVIEW_RESPONSE_EXAMPLE)))
    public Uni<SegmentPreview> preview(@PathParam("ws") String workspace,
                                       @Parameter(description = "How many member ids to return: 10 if left out, at most 100")
                                       @QueryParam("sampleSize") String sampleSize,
                                       byte[] definition) {
        return access.require(workspace, Permission.READ_SEGMENTS)
                .chain(ignored -> {
                    var request = PreviewSegmentRequest.newBuilder().setWorkspace(workspace)
                            .setSampleSize(sampleSize(sampleSize))
                            .setDefinitionJson(ContractValues.requireObject(json, definition)).build();
                    return services.segments(segments -> segments.previewSegment(request));
                })
                .map(response -> new SegmentPreview(response.getEstimatedSize(), response.getSampleProfileIdsList(),
                        response.getEvaluatedProfiles()));
    }

    @DELETE
    @Path("{segmentId}")
    @Operation(summary = "Delete a segment")
    public Uni<Response> delete(@PathParam("ws") String workspace, @PathParam("segmentId") String segmentId) {
        return access.require(workspace, Permission.WRITE_SEGMENTS)
                .chain(ignored -> services.segments(segments -> segments.deleteSegment(ref(workspace, segmentId))))
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("{segmentId}/members")
    @Operation(summary = "The profiles in a segment, paged")
    public Uni<MemberPage> members(@PathParam("ws") String workspace, @PathParam("segmentId") String segmentId,
                                   @QueryParam("pageSize") String pageSize,
                                   @QueryParam("pageToken") String pageToken) {
        return access.require(workspace, Permission.READ_SEGMENTS)
                .chain(ignored -> {
                    PageRequest page = PageRequest.of(pageSize, pageToken);
                    return services.segments(segments -> segments.listMembers(ListMembersRequest.newBuilder()
                            .setWorkspace(workspace).setSegmentId(segmentId)
                            .setPageSize(page.size()).setPageToken(page.token()).build()));
                })
                .map(response -> new MemberPage(response.getMembersList().stream().map(SegmentResource::view).toList(),
                        ContractValues.text(response.getNextPageToken())));
    }

    /** The sampleSize query parameter; 0 lets segment-service choose, it caps what is larger than it allows. */
    private static int sampleSize(String sampleSize) {
        if (sampleSize == null || sampleSize.isBlank()) {
            return 0;
        }
        try {
            int parsed = Integer.parseInt(sampleSize.strip());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(400, "INVALID_SAMPLE_SIZE",
                "sampleSize must be a positive integer, got '" + sampleSize + "'", "/sampleSize");
    }

    private static EntityTag versionTag(Segment segment) {
        return new EntityTag(Integer.toString(segment.getVersion()));
    }

    private static SegmentRef ref(String workspace, String segmentId) {
        return SegmentRef.newBuilder().setWorkspace(workspace).setSegmentId(segmentId).build();
    }

    /** The definition as it was sent, with the segment's id, version and timestamps. */
    private JsonNode view(Segment segment) {
        ObjectNode view = ContractValues.definitionView(json, segment.getSegmentId(), segment.getName(), segment.getDefinitionJson());
        view.put("version", segment.getVersion());
        view.putPOJO("createdAt", ContractValues.instant(segment.getCreatedAtMs()));
        view.putPOJO("updatedAt", ContractValues.instant(segment.getUpdatedAtMs()));
        return view;
    }

    private static MemberView view(Member member) {
        return new MemberView(member.getProfileId(), ContractValues.instant(member.getEnteredAtMs()));
    }
}
