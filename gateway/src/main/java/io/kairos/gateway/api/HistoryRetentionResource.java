package io.kairos.gateway.api;

import io.kairos.api.profile.GetHistoryRetentionRequest;
import io.kairos.api.profile.HistoryRetention;
import io.kairos.api.profile.UpdateHistoryRetentionRequest;
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

/**
 * How long profile-service keeps the workspace's event history. A data-protection policy, so the
 * roles that edit the workspace's policies (admin, privacy officer) set it.
 */
@Path("/api/v1/workspaces/{ws}/history-retention")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class HistoryRetentionResource {

    static final String EXAMPLE = "{\"days\": 395}";

    /** serviceDefault: true until the workspace sets its own; ignored in a PUT body. */
    public record RetentionView(Integer days, Boolean serviceDefault) {
    }

    @Inject
    AdminAccess access;

    @Inject
    KairosServices services;

    @GET
    @Operation(summary = "How many days the workspace keeps event history")
    public Uni<RetentionView> get(@PathParam("ws") String workspace) {
        return access.require(workspace, Permission.READ_POLICIES)
                .chain(ignored -> services.profiles(profiles -> profiles.getHistoryRetention(
                        GetHistoryRetentionRequest.newBuilder().setWorkspace(workspace).build())))
                .map(HistoryRetentionResource::view);
    }

    @PUT
    @Operation(summary = "Set how many days (1 to 36500) the workspace keeps event history; the hourly retention "
            + "pass removes the older events",
            description = "Every service enforces it on what it derives from events: profile-service's history, "
                    + "segment-service's kept events and trigger-service's delivery log (which keeps at least 7 days, "
                    + "so that a replayed event never fires twice).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "retention", value = EXAMPLE)))
    public Uni<RetentionView> replace(@PathParam("ws") String workspace, RetentionView retention) {
        Caller caller = access.caller();
        return access.require(workspace, Permission.WRITE_POLICIES)
                .map(ignored -> {
                    if (retention == null || retention.days() == null) {
                        throw new InvalidInputException("MISSING_FIELD", "/days", "send {\"days\": N}");
                    }
                    return UpdateHistoryRetentionRequest.newBuilder().setWorkspace(workspace).setDays(retention.days())
                            .setUpdatedBy(caller.name()).build();
                })
                .chain(update -> services.profiles(profiles -> profiles.updateHistoryRetention(update)))
                .map(HistoryRetentionResource::view);
    }

    private static RetentionView view(HistoryRetention retention) {
        return new RetentionView(retention.getDays(), retention.getServiceDefault());
    }
}
