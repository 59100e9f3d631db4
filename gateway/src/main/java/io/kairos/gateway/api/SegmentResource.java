package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.api.segment.CreateSegmentRequest;
import io.kairos.api.segment.ListMembersRequest;
import io.kairos.api.segment.ListSegmentsRequest;
import io.kairos.api.segment.Member;
import io.kairos.api.segment.Segment;
import io.kairos.api.segment.SegmentRef;
import io.kairos.gateway.domain.Permission;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Segment definitions and membership, kept by segment-service. A definition is the JSON of
 * the condition DSL ({"name", "condition"}); it is forwarded as is and validated there.
 */
@Path("/api/v1/workspaces/{ws}/segments")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Segments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SegmentResource {


    public record SegmentList(List<JsonNode> segments) {
    }

    public record MemberView(String profileId, Instant enteredAt) {
    }

    public record MemberPage(List<MemberView> members, String nextPageToken) {
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
                        .entity(view(segment)).build());
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
    @Operation(summary = "One segment")
    public Uni<JsonNode> get(@PathParam("ws") String workspace, @PathParam("segmentId") String segmentId) {
        return access.require(workspace, Permission.READ_SEGMENTS)
                .chain(ignored -> services.segments(segments -> segments.getSegment(ref(workspace, segmentId))))
                .map(this::view);
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
