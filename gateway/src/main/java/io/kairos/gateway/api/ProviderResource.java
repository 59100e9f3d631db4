package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.api.trigger.ChannelProviderRef;
import io.kairos.api.trigger.ChannelProviderSettings;
import io.kairos.api.trigger.ListChannelProvidersRequest;
import io.kairos.api.trigger.SetChannelProviderRequest;
import io.kairos.gateway.domain.Permission;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;

/**
 * The workspace's email, sms and push providers, kept by trigger-service: actions on those channels
 * without a webhook of their own send through them. Credentials are write-only.
 */
@Path("/api/v1/workspaces/{ws}/providers")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Providers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProviderResource {

    @Inject
    AdminAccess access;

    @Inject
    KairosServices services;

    @Inject
    ObjectMapper json;

    @GET
    @Operation(summary = "The workspace's providers by channel (credentials shown as ********)")
    public Uni<JsonNode> list(@PathParam("ws") String workspace) {
        return access.require(workspace, Permission.READ_TRIGGERS)
                .chain(ignored -> services.triggers(triggers -> triggers.listChannelProviders(
                        ListChannelProvidersRequest.newBuilder().setWorkspace(workspace).build())))
                .map(response -> {
                    ObjectNode providers = json.createObjectNode();
                    response.getProvidersList().forEach(provider -> providers.set(provider.getChannel(), settings(provider)));
                    ObjectNode answer = json.createObjectNode();
                    answer.set("providers", providers);
                    return answer;
                });
    }

    @PUT
    @Path("{channel}")
    @Operation(summary = "Set the provider of email (kind sendgrid), sms (twilio) or push (fcm)",
            description = "email: {kind: sendgrid, url, apiKey, from: {email, name?}}; sms: {kind: twilio, url, accountSid, "
                    + "authToken, from}; push: {kind: fcm, url, accessToken}. A credential left out or sent as ******** keeps "
                    + "the stored one. The recipient's address is the profile's email, phone or pushToken trait.")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<JsonNode> set(@PathParam("ws") String workspace, @PathParam("channel") String channel, byte[] body) {
        return access.require(workspace, Permission.WRITE_PROVIDERS)
                .chain(ignored -> {
                    var request = SetChannelProviderRequest.newBuilder().setWorkspace(workspace).setChannel(channel)
                            .setSettingsJson(ContractValues.requireObject(json, body)).build();
                    return services.triggers(triggers -> triggers.setChannelProvider(request));
                })
                .map(this::settings);
    }

    @DELETE
    @Path("{channel}")
    @Operation(summary = "Remove a channel's provider: its actions without a webhook then fail until one is set")
    public Uni<Response> delete(@PathParam("ws") String workspace, @PathParam("channel") String channel) {
        return access.require(workspace, Permission.WRITE_PROVIDERS)
                .chain(ignored -> services.triggers(triggers -> triggers.deleteChannelProvider(
                        ChannelProviderRef.newBuilder().setWorkspace(workspace).setChannel(channel).build())))
                .replaceWith(Response.noContent().build());
    }

    private JsonNode settings(ChannelProviderSettings provider) {
        try {
            return json.readTree(provider.getSettingsJson().toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("trigger-service's provider settings are not JSON", e);
        }
    }
}
