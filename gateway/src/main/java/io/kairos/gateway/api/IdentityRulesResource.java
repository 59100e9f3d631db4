package io.kairos.gateway.api;

import io.kairos.api.profile.GetIdentityRulesRequest;
import io.kairos.api.profile.IdentityRules;
import io.kairos.api.profile.UpdateIdentityRulesRequest;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** How profile-service resolves identities in the workspace: limits per identifier type, priority, blocked values. */
@Path("/api/v1/workspaces/{ws}/identity-rules")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IdentityRulesResource {

    static final String EXAMPLE = "{\"limits\": {\"userId\": 1, \"email\": 5, \"phone\": 5}, "
            + "\"priority\": [\"userId\", \"email\", \"phone\", \"*\", \"deviceId\", \"anonymousId\"], "
            + "\"blockedValues\": [\"\", \"null\", \"undefined\", \"anonymous\", \"0\", \"unknown\", \"guest\"]}";

    /** version: 0 while the workspace uses the defaults; ignored in a PUT body. */
    public record IdentityRulesView(Map<String, Integer> limits, List<String> priority, List<String> blockedValues,
                                    Integer version) {
    }

    @Inject
    AdminAccess access;

    @Inject
    KairosServices services;

    @GET
    @Operation(summary = "The workspace's identity rules (the defaults until it sets its own)")
    public Uni<IdentityRulesView> get(@PathParam("ws") String workspace) {
        return access.require(workspace, Permission.READ_PROFILES)
                .chain(ignored -> services.profiles(profiles -> profiles.getIdentityRules(GetIdentityRulesRequest.newBuilder()
                        .setWorkspace(workspace).build())))
                .map(IdentityRulesResource::view);
    }

    @PUT
    @Operation(summary = "Replace the identity rules. They apply to events resolved from now on; profiles already "
            + "resolved are neither split nor merged. \"*\" in the priority stands for every type not named")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "rules", value = EXAMPLE)))
    public Uni<IdentityRulesView> replace(@PathParam("ws") String workspace, IdentityRulesView rules) {
        Caller caller = access.caller();
        return access.require(workspace, Permission.WRITE_IDENTITY_RULES)
                .map(ignored -> {
                    if (rules == null) {
                        throw new InvalidInputException("BODY_REQUIRED", null, "send {limits, priority, blockedValues}");
                    }
                    IdentityRules.Builder proto = IdentityRules.newBuilder();
                    if (rules.limits() != null) {
                        rules.limits().forEach((type, limit) -> {
                            if (limit == null) {
                                throw new InvalidInputException("INVALID_IDENTITY_RULES", "/limits/" + type,
                                        "a limit is a whole number of at least 1");
                            }
                            proto.putLimits(type, limit);
                        });
                    }
                    if (rules.priority() != null) {
                        proto.addAllPriority(rules.priority());
                    }
                    if (rules.blockedValues() != null) {
                        proto.addAllBlockedValues(rules.blockedValues());
                    }
                    return UpdateIdentityRulesRequest.newBuilder().setWorkspace(workspace).setRules(proto)
                            .setUpdatedBy(caller.name()).build();
                })
                .chain(update -> services.profiles(profiles -> profiles.updateIdentityRules(update)))
                .map(IdentityRulesResource::view);
    }

    private static IdentityRulesView view(IdentityRules rules) {
        return new IdentityRulesView(rules.getLimitsMap(), rules.getPriorityList(), rules.getBlockedValuesList(),
                rules.getVersion());
    }
}
