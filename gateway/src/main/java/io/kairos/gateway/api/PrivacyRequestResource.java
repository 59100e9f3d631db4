package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.api.consent.GetPrivacyRequestRequest;
import io.kairos.api.consent.ListPrivacyRequestsRequest;
import io.kairos.api.consent.PrivacyRequestStatus;
import io.kairos.api.consent.SubmitPrivacyRequestRequest;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.gateway.domain.Caller;
import io.kairos.gateway.domain.InvalidInputException;
import io.kairos.gateway.domain.Permission;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/**
 * Data subject requests (delete, suppress, export) for one profile, kept by consent-service: each is
 * fanned out to every service holding profile data, carried out there and reported back; its
 * deadline comes from the jurisdiction governing the profile. For privacy officers and admins.
 */
@Path("/api/v1/workspaces/{ws}/privacy-requests")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Privacy requests")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PrivacyRequestResource {

    public record Submission(String profileId, String kind, String note) {
    }

    public record ServiceView(String service, String state, String detail, Instant reportedAt) {
    }

    public record AuditView(Instant at, String actor, String action, String detail) {
    }

    public record PrivacyRequestView(String id, String profileId, String kind, String state, boolean overdue,
                                     String jurisdiction, Instant deadline, String requestedBy, Instant requestedAt,
                                     String note, Instant completedAt, List<ServiceView> services, List<AuditView> audit,
                                     JsonNode export) {
    }

    public record PrivacyRequestPage(List<PrivacyRequestView> requests, String nextPageToken) {
    }

    @Inject
    AdminAccess access;

    @Inject
    KairosServices services;

    @Inject
    ObjectMapper json;

    @POST
    @Operation(summary = "Submit a privacy request for a profile: {profileId, kind: delete | suppress | export, note}",
            description = "delete erases the profile in every service; suppress also drops the person's later events; "
                    + "export gathers everything every service holds on the profile. The request is recorded with the "
                    + "deadline of the profile's jurisdiction (e.g. 45 days in California) and who asked, then carried "
                    + "out asynchronously: follow it with GET. A profile id merged into another names the survivor. "
                    + "While a request of the same kind for the profile is open, that one is answered (200) instead "
                    + "of a second one (202).")
    @APIResponse(responseCode = "202", description = "Recorded and fanned out")
    @APIResponse(responseCode = "200", description = "The open request of that kind for the profile")
    @APIResponse(responseCode = "404", description = "No such profile in the workspace, nor a request of this kind for it")
    public Uni<Response> submit(@PathParam("ws") String workspace, Submission submission, @Context UriInfo uri) {
        Caller caller = access.caller();
        return access.require(workspace, Permission.HANDLE_PRIVACY_REQUESTS)
                .map(ignored -> {
                    if (submission == null) {
                        throw new InvalidInputException("BODY_REQUIRED", null, "send {profileId, kind, note}");
                    }
                    if (submission.profileId() == null || submission.profileId().isBlank()) {
                        throw new InvalidInputException("FIELD_REQUIRED", "/profileId", "profileId is required");
                    }
                    if (submission.kind() == null || submission.kind().isBlank()) {
                        throw new InvalidInputException("FIELD_REQUIRED", "/kind", "kind is required: delete, suppress or export");
                    }
                    return submission;
                })
                // The profile as profile-service knows it now: a merged id answers with the survivor. A
                // profile already gone may have been erased by a request of this kind: that one answers.
                .chain(valid -> services.profiles(profiles -> profiles.getProfile(GetProfileRequest.newBuilder()
                                .setWorkspace(workspace).setProfileId(valid.profileId()).build()))
                        .map(profile -> SubmitPrivacyRequestRequest.newBuilder().setProfileId(profile.getProfileId()))
                        .onFailure(PrivacyRequestResource::profileNotFound).recoverWithItem(() ->
                                SubmitPrivacyRequestRequest.newBuilder().setProfileId(valid.profileId()).setExistingOnly(true)))
                .chain(asked -> services.consents(consent -> consent.submitPrivacyRequest(asked
                        .setWorkspace(workspace)
                        .setKind(submission.kind())
                        .setRequestedBy(caller.name())
                        .setNote(ContractValues.orEmpty(submission.note()))
                        .build())))
                .map(status -> Response.status(status.getCreated() ? Response.Status.ACCEPTED : Response.Status.OK)
                        .location(uri.getAbsolutePathBuilder().path(status.getRequestId()).build())
                        .entity(view(status))
                        .build());
    }

    @GET
    @Operation(summary = "The workspace's privacy requests, newest first; overdue=true for open ones past their deadline")
    public Uni<PrivacyRequestPage> list(@PathParam("ws") String workspace,
                                        @QueryParam("overdue") @DefaultValue("false") boolean overdue,
                                        @QueryParam("limit") @DefaultValue("100") int limit,
                                        @QueryParam("pageToken") @DefaultValue("") String pageToken) {
        return access.require(workspace, Permission.HANDLE_PRIVACY_REQUESTS)
                .chain(ignored -> services.consents(consent -> consent.listPrivacyRequests(ListPrivacyRequestsRequest.newBuilder()
                        .setWorkspace(workspace).setOverdueOnly(overdue).setLimit(limit).setPageToken(pageToken).build())))
                .map(page -> new PrivacyRequestPage(page.getRequestsList().stream().map(this::view).toList(),
                        page.getNextPageToken().isEmpty() ? null : page.getNextPageToken()));
    }

    @GET
    @Path("{requestId}")
    @Operation(summary = "One privacy request: its state per service, its audit log and, once a completed export, the data",
            description = "state: pending, completed, or failed (a service reported a failure; it may still succeed). "
                    + "export: {\"<service>\": {...}} with what each service holds on the profile.")
    @APIResponse(responseCode = "404", description = "No such request in the workspace")
    public Uni<PrivacyRequestView> get(@PathParam("ws") String workspace, @PathParam("requestId") String requestId) {
        return access.require(workspace, Permission.HANDLE_PRIVACY_REQUESTS)
                .chain(ignored -> services.consents(consent -> consent.getPrivacyRequest(GetPrivacyRequestRequest.newBuilder()
                        .setWorkspace(workspace).setRequestId(requestId).build())))
                .map(this::view);
    }

    private PrivacyRequestView view(PrivacyRequestStatus status) {
        return new PrivacyRequestView(status.getRequestId(), status.getProfileId(), status.getKind(), status.getState(),
                status.getOverdue(), status.getJurisdiction(), ContractValues.instant(status.getDeadlineMs()),
                status.getRequestedBy(), ContractValues.instant(status.getRequestedAtMs()), ContractValues.text(status.getNote()),
                ContractValues.instant(status.getCompletedAtMs()),
                status.getServicesList().stream().map(progress -> new ServiceView(progress.getService(), progress.getState(),
                        ContractValues.text(progress.getDetail()), ContractValues.instant(progress.getReportedAtMs()))).toList(),
                status.getAuditList().stream().map(entry -> new AuditView(ContractValues.instant(entry.getAtMs()),
                        entry.getActor(), entry.getAction(), ContractValues.text(entry.getDetail()))).toList(),
                status.getExportJson().isEmpty() ? null : ContractValues.json(json, status.getExportJson()));
    }

    private static boolean profileNotFound(Throwable failure) {
        return failure instanceof ProblemException problem && problem.problem().status() == 404;
    }
}
