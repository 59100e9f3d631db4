package io.kairos.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kairos.api.segment.ProfileSegmentsRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** The segments the visitor is in, for a frontend that adapts to them (segment-service). */
@Path("/v1/me/segments")
@VisitorEndpoint
@Tag(name = "Real-time")
@SecurityRequirement(name = "writeKey")
public class VisitorSegmentResource {

    /** profileId is left out for a visitor Kairos does not know yet. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VisitorSegments(String profileId, List<VisitorSegment> segments) {
    }

    public record VisitorSegment(String id, String name, Instant enteredAt) {
    }

    @Inject
    IdentifiedVisitor visitor;

    @Inject
    KairosServices services;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The segments the visitor is in",
            description = "Authenticated like /v1/stream (write key as HTTP Basic user name or writeKey query "
                    + "parameter; anonymousId and/or userId). A visitor Kairos does not know yet is in no segment: "
                    + "{\"segments\": []}.")
    @Parameter(name = "writeKey", in = ParameterIn.QUERY,
            description = "The source's write key, when it cannot be sent as HTTP Basic user name")
    @Parameter(name = "anonymousId", in = ParameterIn.QUERY, description = "The visitor's anonymousId")
    @Parameter(name = "userId", in = ParameterIn.QUERY, description = "The visitor's userId, once identified")
    @APIResponse(responseCode = "200", description = "{profileId, segments: [{id, name, enteredAt}]}")
    @APIResponse(responseCode = "400", description = "Neither anonymousId nor userId",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Missing, unknown or revoked write key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "profile-service or segment-service cannot be reached",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<VisitorSegments> segments() {
        String workspace = visitor.workspace();
        return visitor.profileId()
                .map(profileId -> services.segments(segments -> segments.getProfileSegments(
                                ProfileSegmentsRequest.newBuilder().setWorkspace(workspace).setProfileId(profileId).build()))
                        .map(response -> new VisitorSegments(profileId, response.getSegmentsList().stream()
                                .map(segment -> new VisitorSegment(segment.getSegmentId(), segment.getName(),
                                        ContractValues.instant(segment.getEnteredAtMs())))
                                .toList())))
                .orElseGet(() -> Uni.createFrom().item(new VisitorSegments(null, List.of())));
    }
}
