package io.kairos.gateway.api;

import io.kairos.gateway.domain.Caller;
import io.kairos.gateway.domain.InvalidInputException;
import io.kairos.gateway.domain.Permission;
import io.kairos.gateway.domain.WorkspaceDefinition;
import io.kairos.gateway.store.WorkspaceEntity;
import io.kairos.gateway.store.WorkspaceRepository;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

@Path("/api/v1/workspaces")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WorkspaceResource {

    public record WorkspaceRequest(String id, String name, String timezone) {
    }

    public record WorkspaceView(String id, String name, String timezone, Instant createdAt) {
        static WorkspaceView of(WorkspaceEntity workspace) {
            return new WorkspaceView(workspace.id, workspace.name, workspace.timezone, workspace.createdAt);
        }
    }

    public record WorkspaceList(List<WorkspaceView> workspaces) {
    }

    @Inject
    AdminAccess access;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    Clock clock;

    @POST
    @Operation(summary = "Create a workspace (admin)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "a retailer",
            value = "{\"id\": \"acme-retail\", \"name\": \"Acme Retail\", \"timezone\": \"America/New_York\"}")))
    public Uni<Response> create(WorkspaceRequest request) {
        Caller caller = access.caller();
        access.requirePermitted(caller, Permission.CREATE_WORKSPACE);
        if (request == null) {
            throw new InvalidInputException("BODY_REQUIRED", null, "send {id, name, timezone}");
        }
        WorkspaceDefinition definition = WorkspaceDefinition.of(request.id(), request.name(), request.timezone());
        access.requireAllowed(caller, Permission.CREATE_WORKSPACE, definition.id());
        return workspaces.create(definition, clock.instant())
                .onFailure(WorkspaceRepository::isDuplicateKey).recoverWithNull()
                .map(created -> {
                    if (created == null) {
                        throw new ProblemException(409, "WORKSPACE_EXISTS",
                                "workspace '" + definition.id() + "' exists already", "/id");
                    }
                    return Response.created(URI.create("/api/v1/workspaces/" + created.id))
                            .entity(WorkspaceView.of(created)).build();
                });
    }

    @GET
    @Operation(summary = "The workspaces the caller may see")
    public Uni<WorkspaceList> list() {
        Caller caller = access.caller();
        access.requirePermitted(caller, Permission.READ_WORKSPACE);
        return workspaces.listAllById().map(all -> new WorkspaceList(all.stream()
                .filter(workspace -> access.mayEnter(caller, Permission.READ_WORKSPACE,
                        workspace.id))
                .map(WorkspaceView::of)
                .toList()));
    }

    @GET
    @Path("{ws}")
    @Operation(summary = "One workspace")
    public Uni<WorkspaceView> get(@PathParam("ws") String workspace) {
        return access.require(workspace, Permission.READ_WORKSPACE).map(WorkspaceView::of);
    }
}
