package io.kairos.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.kairos.api.consent.GetPoliciesRequest;
import io.kairos.api.consent.UpdatePoliciesRequest;
import io.kairos.api.consent.WorkspacePolicies;
import io.kairos.gateway.domain.Caller;
import io.kairos.gateway.domain.InvalidInputException;
import io.kairos.gateway.domain.Permission;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * A workspace's policies (quiet hours, frequency caps, default time zone), kept and validated by
 * consent-service. Answers are the complete policies in force with their {@code version} and
 * {@code updatedAt}; a workspace that never set any gets the defaults, as version 0.
 */
@Path("/api/v1/workspaces/{ws}/policies")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    /** DESIGN.md's example of workspace policies. */
    static final String EXAMPLE = """
            {"defaultTimezone": "America/New_York",
             "quietHours": {"email": {"from": "21:00", "to": "08:00"}, "sms": {"from": "21:00", "to": "08:00"}},
             "frequencyCaps": [{"channel": "email", "purpose": "marketing", "max": 3, "per": "P7D"}]}""";

    private static final String ANSWER_EXAMPLE = """
            {"defaultTimezone": "America/New_York",
             "quietHours": {"email": {"from": "21:00", "to": "08:00"}, "sms": {"from": "21:00", "to": "08:00"}},
             "frequencyCaps": [{"channel": "email", "purpose": "marketing", "max": 3, "per": "P7D"}],
             "version": 4, "updatedAt": "2025-03-01T12:00:00Z", "updatedBy": "admin"}""";

    /**
     * Keys of an answer that only consent-service sets. Dropped from an update, so that what GET
     * answered can be edited and sent back as it is.
     */
    private static final List<String> ANSWER_KEYS = List.of("version", "updatedAt", "updatedBy");

    @Inject
    AdminAccess access;

    @Inject
    KairosServices services;

    @Inject
    ObjectMapper json;

    @GET
    @Operation(summary = "The workspace's policies: default time zone, quiet hours per channel, frequency caps",
            description = "Always complete. A workspace that never set policies gets the defaults (version 0): "
                    + "time zone UTC, SMS quiet from 21:00 to 08:00 local time (as the US TCPA requires for "
                    + "solicitations), no frequency caps.")
    @APIResponse(responseCode = "200", description = "The policies in force",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "policies", value = ANSWER_EXAMPLE)))
    public Uni<JsonNode> get(@PathParam("ws") String workspace) {
        return access.require(workspace, Permission.READ_POLICIES)
                .chain(ignored -> services.consents(consent -> consent.getPolicies(
                        GetPoliciesRequest.newBuilder().setWorkspace(workspace).build())))
                .map(this::view);
    }

    @PUT
    @Operation(summary = "Change the workspace's policies; fields left out keep their value",
            description = "defaultTimezone: an IANA zone, used when a profile's own is unknown. quietHours: per "
                    + "channel (email sms push in_app webhook kafka) a window {from, to} as HH:mm in the "
                    + "recipient's local time, merged channel by channel; null removes a channel's window. "
                    + "frequencyCaps: [{channel, purpose (optional), max, per (ISO-8601 duration)}], replaced as "
                    + "a whole when present. A top-level field set to null goes back to its default. Answers "
                    + "the complete policies in force, one version up. version, updatedAt and updatedBy in the "
                    + "body are ignored. Invalid policies are a 400 naming the field; nothing is changed then.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "quiet nights, three marketing emails a week", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The policies in force after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "policies", value = ANSWER_EXAMPLE)))
    public Uni<JsonNode> update(@PathParam("ws") String workspace, byte[] body) {
        Caller caller = access.caller();
        return access.require(workspace, Permission.WRITE_POLICIES)
                .map(ignored -> UpdatePoliciesRequest.newBuilder()
                        .setWorkspace(workspace)
                        .setPoliciesJson(policies(body))
                        .setUpdatedBy(caller.name())
                        .build())
                .chain(request -> services.consents(consent -> consent.updatePolicies(request)))
                .map(this::view);
    }

    /** The body as the update to forward: one JSON object, without the keys of an answer. */
    private ByteString policies(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException("BODY_REQUIRED", null, "send the policies as a JSON object");
        }
        ObjectNode policies = (ObjectNode) ContractValues.objectTree(json, body);
        if (ANSWER_KEYS.stream().noneMatch(policies::has)) {
            return ByteString.copyFrom(body);
        }
        policies.remove(ANSWER_KEYS);
        try {
            return ByteString.copyFrom(json.writeValueAsBytes(policies));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree did not write", e);
        }
    }

    private JsonNode view(WorkspacePolicies policies) {
        JsonNode document = ContractValues.json(json, policies.getPoliciesJson());
        ObjectNode view = document instanceof ObjectNode object ? object : json.createObjectNode();
        view.put("version", policies.getVersion());
        view.putPOJO("updatedAt", ContractValues.instant(policies.getUpdatedAtMs()));
        view.put("updatedBy", ContractValues.text(policies.getUpdatedBy()));
        return view;
    }
}
