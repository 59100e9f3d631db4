package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.api.trigger.CreateTriggerRequest;
import io.kairos.api.trigger.Delivery;
import io.kairos.api.trigger.DryRunTriggerRequest;
import io.kairos.api.trigger.DryRunTriggerResponse;
import io.kairos.api.trigger.ListDeliveriesResponse;
import io.kairos.api.trigger.ListDeliveriesRequest;
import io.kairos.api.trigger.ListTriggersRequest;
import io.kairos.api.trigger.Trigger;
import io.kairos.api.trigger.TriggerRef;
import io.kairos.api.trigger.UpdateTriggerRequest;
import com.google.protobuf.ByteString;
import io.kairos.gateway.domain.InvalidInputException;
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
 * Trigger definitions and their delivery log, kept by trigger-service. A definition is the
 * trigger JSON of the design; it is forwarded as is (an edit without what a read adds to it)
 * and validated there.
 */
@Path("/api/v1/workspaces/{ws}/triggers")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Triggers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TriggerResource {

    /** What a read adds to the definition; only trigger-service sets these. */
    private static final DefinitionEdit EDIT = new DefinitionEdit("trigger", List.of("id", "version", "status", "createdAt", "updatedAt"));

    public record TriggerList(List<JsonNode> triggers) {
    }

    public record DeliveryView(String firingId, String triggerId, String profileId, String channel, String outcome,
                               String reason, Instant firedAt, int attempts, Integer responseStatus) {
    }

    public record DeliveryPage(List<DeliveryView> deliveries, String nextPageToken) {
    }

    @Inject
    AdminAccess access;

    @Inject
    KairosServices services;

    @Inject
    ObjectMapper json;

    @POST
    @Operation(summary = "Create a trigger")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Response> create(@PathParam("ws") String workspace, byte[] definition) {
        return access.require(workspace, Permission.WRITE_TRIGGERS)
                .chain(ignored -> {
                    var request = CreateTriggerRequest.newBuilder().setWorkspace(workspace)
                            .setDefinitionJson(ContractValues.requireObject(json, definition)).build();
                    return services.triggers(triggers -> triggers.createTrigger(request));
                })
                .map(trigger -> Response.created(URI.create(
                                "/api/v1/workspaces/" + workspace + "/triggers/" + trigger.getTriggerId()))
                        .tag(versionTag(trigger)).entity(view(trigger)).build());
    }

    @GET
    @Operation(summary = "The workspace's triggers")
    public Uni<TriggerList> list(@PathParam("ws") String workspace) {
        return access.require(workspace, Permission.READ_TRIGGERS)
                .chain(ignored -> services.triggers(triggers -> triggers.listTriggers(
                        ListTriggersRequest.newBuilder().setWorkspace(workspace).build())))
                .map(response -> new TriggerList(response.getTriggersList().stream().map(this::view).toList()));
    }

    @GET
    @Path("{triggerId}")
    @Operation(summary = "One trigger (webhook secrets are never returned)",
            description = "Its ETag is its version, for If-Match on PUT.")
    @APIResponse(responseCode = "200", description = "The trigger",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Response> get(@PathParam("ws") String workspace, @PathParam("triggerId") String triggerId) {
        return access.require(workspace, Permission.READ_TRIGGERS)
                .chain(ignored -> services.triggers(triggers -> triggers.getTrigger(ref(workspace, triggerId))))
                .map(this::tagged);
    }

    @PUT
    @Path("{triggerId}")
    @Operation(summary = "Replace a trigger's definition",
            description = "Validated as on create; the version goes up by one. Webhook secrets are never returned, "
                    + "so a webhook sent without \"secret\" (or with the mask a read shows) keeps the stored secret; "
                    + "send one to change it. A trigger as a read returns it may be sent back: id, version, createdAt, "
                    + "updatedAt and status are ignored (an id must be this trigger's); pause and resume change the "
                    + "status. With If-Match: \"<version>\" (GET's ETag) the edit is refused (409 VERSION_CONFLICT) "
                    + "when the trigger is no longer at that version.")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The trigger as GET shows it, at its new version",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "409", description = "If-Match named another version (VERSION_CONFLICT), or the name "
            + "is another trigger's (TRIGGER_NAME_TAKEN)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> update(@PathParam("ws") String workspace, @PathParam("triggerId") String triggerId,
                                @Parameter(description = "The version the edit was made against, quoted as GET's ETag "
                                        + "sends it (\"3\"), or * for any")
                                @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                byte[] definition) {
        return access.require(workspace, Permission.WRITE_TRIGGERS)
                .chain(ignored -> {
                    var request = UpdateTriggerRequest.newBuilder().setWorkspace(workspace).setTriggerId(triggerId)
                            .setExpectedVersion(EDIT.expectedVersion(ifMatch))
                            .setDefinitionJson(EDIT.definition(json, triggerId, definition)).build();
                    return services.triggers(triggers -> triggers.updateTrigger(request));
                })
                .map(this::tagged);
    }

    @POST
    @Path("{triggerId}/pause")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Pause a trigger: it fires for nothing until resumed (idempotent)")
    @APIResponse(responseCode = "200", description = "The trigger as GET shows it, paused",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Response> pause(@PathParam("ws") String workspace, @PathParam("triggerId") String triggerId) {
        return access.require(workspace, Permission.WRITE_TRIGGERS)
                .chain(ignored -> services.triggers(triggers -> triggers.pauseTrigger(ref(workspace, triggerId))))
                .map(this::tagged);
    }

    @POST
    @Path("{triggerId}/resume")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Resume a paused trigger: it fires again for what happens from now on (idempotent)")
    @APIResponse(responseCode = "200", description = "The trigger as GET shows it, active",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Response> resume(@PathParam("ws") String workspace, @PathParam("triggerId") String triggerId) {
        return access.require(workspace, Permission.WRITE_TRIGGERS)
                .chain(ignored -> services.triggers(triggers -> triggers.resumeTrigger(ref(workspace, triggerId))))
                .map(this::tagged);
    }

    @DELETE
    @Path("{triggerId}")
    @Operation(summary = "Delete a trigger")
    public Uni<Response> delete(@PathParam("ws") String workspace, @PathParam("triggerId") String triggerId) {
        return access.require(workspace, Permission.WRITE_TRIGGERS)
                .chain(ignored -> services.triggers(triggers -> triggers.deleteTrigger(ref(workspace, triggerId))))
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("{triggerId}/deliveries")
    @Operation(summary = "The trigger's delivery log, newest first, paged; optionally for one profile")
    public Uni<DeliveryPage> deliveries(@PathParam("ws") String workspace, @PathParam("triggerId") String triggerId,
                                        @QueryParam("profileId") String profileId,
                                        @QueryParam("pageSize") String pageSize,
                                        @QueryParam("pageToken") String pageToken) {
        return access.require(workspace, Permission.READ_TRIGGERS)
                .chain(ignored -> {
                    PageRequest page = PageRequest.of(pageSize, pageToken);
                    return services.triggers(triggers -> triggers.listDeliveries(ListDeliveriesRequest.newBuilder()
                            .setWorkspace(workspace).setTriggerId(triggerId)
                            .setProfileId(profileId == null ? "" : profileId)
                            .setPageSize(page.size()).setPageToken(page.token()).build()));
                })
                .map(TriggerResource::page);
    }

    static DeliveryPage page(ListDeliveriesResponse response) {
        return new DeliveryPage(response.getDeliveriesList().stream().map(TriggerResource::view).toList(),
                ContractValues.text(response.getNextPageToken()));
    }

    @POST
    @Path("{triggerId}/dry-run")
    @Operation(summary = "What the trigger would do for a profile right now, and why; nothing is sent or logged",
            description = "Body: {\"profileId\", \"event\"?: {\"event\", \"properties\"?, \"context\"?}}. Every check a "
                    + "firing goes through (status, entry, reentry, wait, audience, frequency_cap, consent, template) "
                    + "with its verdict (pass, fail, wait, defer), the outcome (send, wait, defer, skip, no_entry) with its "
                    + "reason and time, and the message as it would be rendered for the profile.")
    @RequestBody(content = @Content(schema = @Schema(implementation = DryRunRequest.class)))
    @APIResponse(responseCode = "404", description = "No such trigger (TRIGGER_NOT_FOUND) or profile (PROFILE_NOT_FOUND)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DryRunView> dryRun(@PathParam("ws") String workspace, @PathParam("triggerId") String triggerId,
                                  DryRunRequest request) {
        return access.require(workspace, Permission.READ_TRIGGERS)
                .chain(ignored -> {
                    if (request == null || request.profileId() == null || request.profileId().isBlank()) {
                        throw new InvalidInputException("MISSING_FIELD", "/profileId", "profileId is required");
                    }
                    var dryRun = DryRunTriggerRequest.newBuilder().setWorkspace(workspace).setTriggerId(triggerId)
                            .setProfileId(request.profileId());
                    if (request.event() != null && !request.event().isNull()) {
                        if (!request.event().isObject()) {
                            throw new InvalidInputException("INVALID_EVENT", "/event",
                                    "event is an object {\"event\", \"properties\"?, \"context\"?}");
                        }
                        dryRun.setEventJson(ByteString.copyFromUtf8(request.event().toString()));
                    }
                    return services.triggers(triggers -> triggers.dryRunTrigger(dryRun.build()));
                })
                .map(this::view);
    }

    public record DryRunRequest(String profileId, JsonNode event) {
    }

    public record DryRunCheckView(String check, String verdict, String detail) {
    }

    public record DryRunView(String outcome, String reason, Instant at, String channel, JsonNode message,
                             List<DryRunCheckView> checks) {
    }

    private DryRunView view(DryRunTriggerResponse response) {
        JsonNode message = null;
        if (!response.getMessageJson().isEmpty()) {
            try {
                message = json.readTree(response.getMessageJson().toByteArray());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("trigger-service's rendered message is not JSON", e);
            }
        }
        return new DryRunView(response.getOutcome(), ContractValues.text(response.getReason()),
                ContractValues.instant(response.getAtMs()), response.getChannel(), message,
                response.getChecksList().stream().map(check -> new DryRunCheckView(check.getCheck(), check.getVerdict(),
                        check.getDetail())).toList());
    }

    private static TriggerRef ref(String workspace, String triggerId) {
        return TriggerRef.newBuilder().setWorkspace(workspace).setTriggerId(triggerId).build();
    }

    /** One trigger as the API shows it, with its version as ETag (what If-Match names; status is not part of it). */
    private Response tagged(Trigger trigger) {
        return Response.ok(view(trigger)).tag(versionTag(trigger)).build();
    }

    private static EntityTag versionTag(Trigger trigger) {
        return new EntityTag(Integer.toString(trigger.getVersion()));
    }

    /** The definition as trigger-service returns it, with the trigger's id, version, status and times. */
    private JsonNode view(Trigger trigger) {
        ObjectNode view = ContractValues.definitionView(json, trigger.getTriggerId(), trigger.getName(), trigger.getDefinitionJson());
        view.put("version", trigger.getVersion());
        view.put("status", trigger.getStatus());
        view.putPOJO("createdAt", ContractValues.instant(trigger.getCreatedAtMs()));
        view.putPOJO("updatedAt", ContractValues.instant(trigger.getUpdatedAtMs()));
        return view;
    }

    private static DeliveryView view(Delivery delivery) {
        return new DeliveryView(delivery.getFiringId(), delivery.getTriggerId(), delivery.getProfileId(),
                delivery.getChannel(), delivery.getOutcome(), ContractValues.text(delivery.getReason()),
                ContractValues.instant(delivery.getFiredAtMs()), delivery.getAttempts(),
                delivery.getResponseStatus() == 0 ? null : delivery.getResponseStatus());
    }
}
