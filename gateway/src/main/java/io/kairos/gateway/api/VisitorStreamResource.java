package io.kairos.gateway.api;

import io.kairos.gateway.domain.InboxPosition;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;

/** The real-time channel to a browser or app: the visitor's in-app messages as server-sent events. */
@Path("/v1/stream")
@VisitorEndpoint
@Tag(name = "Real-time", description = "In-app messages and segments of the visitor, for frontends")
@SecurityRequirement(name = "writeKey")
public class VisitorStreamResource {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    @Inject
    IdentifiedVisitor visitor;

    @Inject
    VisitorFeed feed;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    // Proxies must neither cache nor buffer the stream (X-Accel-Buffering: nginx, e.g. an Ingress).
    @ResponseHeader(name = "Cache-Control", value = "no-cache")
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    @Operation(summary = "The visitor's in-app messages, live, as server-sent events",
            description = "Authenticate with the source's write key (HTTP Basic user name, or the writeKey query "
                    + "parameter for EventSource) and say who the visitor is (anonymousId and/or userId). Each in-app "
                    + "message is an event `message` whose id is its place in the visitor's inbox and whose data is "
                    + "{\"firingId\", \"triggerId\", \"message\": {...}, \"firedAt\"}. A client that reconnects with "
                    + "Last-Event-ID (or lastEventId) gets what it missed first; lastEventId=0 replays the whole inbox "
                    + "(the last 100 messages of the last 7 days). The stream opens with a comment carrying the "
                    + "current position and sends a comment heartbeat every 15 s. A visitor Kairos does not know yet "
                    + "gets `retry: 5000` and the end of the stream, so that EventSource comes back later.")
    @Parameter(name = "writeKey", in = ParameterIn.QUERY,
            description = "The source's write key, when it cannot be sent as HTTP Basic user name (EventSource)")
    @Parameter(name = "anonymousId", in = ParameterIn.QUERY,
            description = "The visitor's anonymousId, as the analytics library sends it")
    @Parameter(name = "userId", in = ParameterIn.QUERY, description = "The visitor's userId, once identified")
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    @APIResponse(responseCode = "400", description = "Neither anonymousId nor userId, or a malformed Last-Event-ID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Missing, unknown or revoked write key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "profile-service cannot be reached; retry later",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> stream(
            @Context HttpHeaders headers,
            @Context Sse sse,
            @Parameter(description = "The id of the last event received, when the Last-Event-ID header cannot be set")
            @QueryParam("lastEventId") String lastEventId) {
        InboxPosition resumeFrom = resumeFrom(headers.getHeaderString(LAST_EVENT_ID), lastEventId);
        return visitor.profileId()
                .map(profileId -> feed.open(sse, visitor.workspace(), profileId, resumeFrom))
                .orElseGet(() -> feed.retryLater(sse, resumeFrom));
    }

    /** The header EventSource sends when it reconnects, else the parameter a client sets itself; null: neither. */
    private static InboxPosition resumeFrom(String header, String parameter) {
        if (header != null && !header.isBlank()) {
            return InboxPosition.parse(header, "/headers/" + LAST_EVENT_ID);
        }
        if (parameter != null && !parameter.isBlank()) {
            return InboxPosition.parse(parameter, "/lastEventId");
        }
        return null;
    }
}
