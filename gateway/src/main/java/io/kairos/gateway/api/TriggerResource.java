package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.api.trigger.CreateTriggerRequest;
import io.kairos.api.trigger.Delivery;
import io.kairos.api.trigger.ListDeliveriesRequest;
import io.kairos.api.trigger.ListTriggersRequest;
import io.kairos.api.trigger.Trigger;
import io.kairos.api.trigger.TriggerRef;
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
 * Trigger definitions and their delivery log, kept by trigger-service. A definition is the
 * trigger JSON of the design; it is forwarded as is and validated there.
 */
@Path("/api/v1/workspaces/{ws}/triggers")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Triggers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TriggerResource {


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
                        .entity(view(trigger)).build());
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
    @Operation(summary = "One trigger (webhook secrets are never returned)")
    public Uni<JsonNode> get(@PathParam("ws") String workspace, @PathParam("triggerId") String triggerId) {
        return access.require(workspace, Permission.READ_TRIGGERS)
                .chain(ignored -> services.triggers(triggers -> triggers.getTrigger(ref(workspace, triggerId))))
                .map(this::view);
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
                .map(response -> new DeliveryPage(
                        response.getDeliveriesList().stream().map(TriggerResource::view).toList(),
                        ContractValues.text(response.getNextPageToken())));
    }

    private static TriggerRef ref(String workspace, String triggerId) {
        return TriggerRef.newBuilder().setWorkspace(workspace).setTriggerId(triggerId).build();
    }

    /** The definition as trigger-service returns it, with the trigger's id, version and creation time. */
    private JsonNode view(Trigger trigger) {
        ObjectNode view = ContractValues.definitionView(json, trigger.getTriggerId(), trigger.getName(), trigger.getDefinitionJson());
        view.put("version", trigger.getVersion());
        view.putPOJO("createdAt", ContractValues.instant(trigger.getCreatedAtMs()));
        return view;
    }

    private static DeliveryView view(Delivery delivery) {
        return new DeliveryView(delivery.getFiringId(), delivery.getTriggerId(), delivery.getProfileId(),
                delivery.getChannel(), delivery.getOutcome(), ContractValues.text(delivery.getReason()),
                ContractValues.instant(delivery.getFiredAtMs()), delivery.getAttempts(),
                delivery.getResponseStatus() == 0 ? null : delivery.getResponseStatus());
    }
}
