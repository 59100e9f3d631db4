package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.api.common.Identifier;
import io.kairos.api.consent.ConsentRecord;
import io.kairos.api.consent.GetConsentsRequest;
import io.kairos.api.consent.SetConsentRequest;
import io.kairos.api.profile.DeleteProfileRequest;
import io.kairos.api.profile.GetIdentityGraphRequest;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.api.profile.IdentityGraph;
import io.kairos.api.profile.MergeProfilesRequest;
import io.kairos.api.profile.ListEventsRequest;
import io.kairos.api.profile.LookupProfileRequest;
import io.kairos.api.profile.Profile;
import io.kairos.api.profile.StoredEvent;
import io.kairos.api.segment.ProfileSegment;
import io.kairos.api.segment.ProfileSegmentsRequest;
import io.kairos.gateway.domain.Caller;
import io.kairos.gateway.domain.InvalidInputException;
import io.kairos.gateway.domain.Permission;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.kairos.api.trigger.ListDeliveriesRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** Unified profiles (profile-service), their segments (segment-service) and consents (consent-service). */
@Path("/api/v1/workspaces/{ws}/profiles")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProfileResource {

    public record IdentifierView(String type, String value) {
    }

    public record ProfileView(String id, JsonNode traits, List<IdentifierView> identifiers, Instant firstSeen,
                              Instant lastSeen) {
    }

    public record EventView(String messageId, String type, String event, String channel, Instant timestamp,
                            JsonNode payload) {
    }

    public record EventPage(List<EventView> events, String nextPageToken) {
    }

    public record SegmentMembershipView(String segmentId, String name, Instant enteredAt) {
    }

    public record SegmentMemberships(List<SegmentMembershipView> segments) {
    }

    public record ErasureView(String profileId, Instant deletedAt, int identifiersRemoved, long eventsRemoved,
                              boolean suppressed) {
    }

    public record GraphIdentifierView(String type, String value, Instant addedAt) {
    }

    public record MergedProfileView(String profileId, String cause, Instant mergedAt) {
    }

    public record DroppedIdentifierView(String type, String value, String messageId, String reason, String detail,
                                        Instant droppedAt) {
    }

    public record IdentityGraphView(String profileId, List<GraphIdentifierView> identifiers,
                                    List<MergedProfileView> merged, List<DroppedIdentifierView> dropped) {
    }

    public record MergeRequest(List<String> profileIds) {
    }

    public record MergeView(String survivorId, List<String> mergedIds) {
    }

    /** Proof of how consent was given: the form, the client's IP and user agent; each optional. */
    public record ConsentProof(String formId, String ip, String userAgent) {
    }

    public record ConsentRequest(String purpose, String channel, String status, String source, ConsentProof proof,
                                 String expiresAt) {
    }

    public record ConsentView(String purpose, String channel, String status, String source, Instant recordedAt,
                              String origin, ConsentProof proof, Instant expiresAt) {
    }

    public record Consents(List<ConsentView> current, List<ConsentView> history) {
    }

    @Inject
    AdminAccess access;

    @Inject
    KairosServices services;

    @Inject
    ObjectMapper json;

    @GET
    @Operation(summary = "Find a profile by one of its identifiers, e.g. ?identifier=email:jane@example.com")
    public Uni<ProfileView> lookup(@PathParam("ws") String workspace, @QueryParam("identifier") String identifier) {
        return access.require(workspace, Permission.READ_PROFILES)
                .chain(ignored -> {
                    Identifier parsed = parseIdentifier(identifier);
                    return services.profiles(profiles -> profiles.lookupProfile(LookupProfileRequest.newBuilder()
                            .setWorkspace(workspace).setIdentifier(parsed).build()));
                })
                .map(this::view);
    }

    @GET
    @Path("{profileId}")
    @Operation(summary = "One profile: traits, identifiers, first and last seen")
    public Uni<ProfileView> get(@PathParam("ws") String workspace, @PathParam("profileId") String profileId) {
        return access.require(workspace, Permission.READ_PROFILES)
                .chain(ignored -> existingProfile(workspace, profileId))
                .map(this::view);
    }

    @DELETE
    @Path("{profileId}")
    @Operation(summary = "Erase a profile (right to erasure): traits, identifiers, event history; "
            + "?suppress=true also refuses the person's future events. Repeating it answers the first result")
    public Uni<ErasureView> delete(@PathParam("ws") String workspace, @PathParam("profileId") String profileId,
                                   @QueryParam("suppress") String suppress) {
        Caller caller = access.caller();
        return access.require(workspace, Permission.DELETE_PROFILES)
                .map(ignored -> DeleteProfileRequest.newBuilder()
                        .setWorkspace(workspace)
                        .setProfileId(profileId)
                        .setSuppress(parseSuppress(suppress))
                        // The audit trail of profile-service names who erased the profile.
                        .setRequestedBy(caller.name())
                        .build())
                .chain(request -> services.profiles(profiles -> profiles.deleteProfile(request)))
                .map(erased -> new ErasureView(erased.getProfileId(), ContractValues.instant(erased.getDeletedAtMs()),
                        erased.getIdentifiersRemoved(), erased.getEventsRemoved(), erased.getSuppressed()));
    }

    @GET
    @Path("{profileId}/identity-graph")
    @Operation(summary = "The profile's identifiers, the profile ids merged into it, and the identifiers its events "
            + "carried that identity resolution left out (with the reason)")
    public Uni<IdentityGraphView> identityGraph(@PathParam("ws") String workspace, @PathParam("profileId") String profileId) {
        return access.require(workspace, Permission.READ_PROFILES)
                .chain(ignored -> services.profiles(profiles -> profiles.getIdentityGraph(GetIdentityGraphRequest.newBuilder()
                        .setWorkspace(workspace).setProfileId(profileId).build())))
                .map(ProfileResource::view);
    }

    @POST
    @Path("merge")
    @Operation(summary = "Merge profiles by hand into the oldest of them; 409 MERGE_BREAKS_LIMIT when the result "
            + "would break an identity limit (two userIds). Repeating it answers the same survivor")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "merge",
            value = "{\"profileIds\": [\"5b0e2c1a-8d3f-4b7e-9a61-2f4c8d9e0a11\", \"c7d1e9b4-3a2f-4e8d-b5c6-7a9f0e1d2c33\"]}")))
    public Uni<MergeView> merge(@PathParam("ws") String workspace, MergeRequest request) {
        Caller caller = access.caller();
        return access.require(workspace, Permission.MERGE_PROFILES)
                .map(ignored -> {
                    if (request == null || request.profileIds() == null) {
                        throw new InvalidInputException("FIELD_REQUIRED", "/profileIds", "profileIds is required");
                    }
                    return MergeProfilesRequest.newBuilder().setWorkspace(workspace)
                            .addAllProfileIds(request.profileIds()).setRequestedBy(caller.name()).build();
                })
                .chain(merge -> services.profiles(profiles -> profiles.mergeProfiles(merge)))
                .map(merged -> new MergeView(merged.getSurvivorId(), merged.getMergedIdsList()));
    }

    @GET
    @Path("{profileId}/events")
    @Operation(summary = "The profile's event history, newest first, paged; ?event= filters by name, "
            + "?from= and ?to= (ISO-8601 instants) by event time, from inclusive, to exclusive")
    public Uni<EventPage> events(@PathParam("ws") String workspace, @PathParam("profileId") String profileId,
                                 @QueryParam("event") String event, @QueryParam("pageSize") String pageSize,
                                 @QueryParam("pageToken") String pageToken, @QueryParam("from") String from,
                                 @QueryParam("to") String to) {
        return access.require(workspace, Permission.READ_PROFILES)
                .chain(ignored -> {
                    PageRequest page = PageRequest.of(pageSize, pageToken);
                    ListEventsRequest.Builder request = ListEventsRequest.newBuilder()
                            .setWorkspace(workspace).setProfileId(profileId).setEvent(event == null ? "" : event)
                            .setPageSize(page.size()).setPageToken(page.token());
                    if (from != null && !from.isBlank()) {
                        request.setFromMs(instant(from, "/from").toEpochMilli());
                    }
                    if (to != null && !to.isBlank()) {
                        request.setToMs(instant(to, "/to").toEpochMilli());
                    }
                    return services.profiles(profiles -> profiles.listEvents(request.build()));
                })
                .map(response -> new EventPage(response.getEventsList().stream().map(this::view).toList(),
                        ContractValues.text(response.getNextPageToken())));
    }

    @GET
    @Path("{profileId}/deliveries")
    @Operation(summary = "What every trigger did for the profile (its delivery log), newest first, paged")
    public Uni<TriggerResource.DeliveryPage> deliveries(@PathParam("ws") String workspace,
                                                        @PathParam("profileId") String profileId,
                                                        @QueryParam("pageSize") String pageSize,
                                                        @QueryParam("pageToken") String pageToken) {
        return access.require(workspace, Permission.READ_TRIGGERS)
                .chain(ignored -> {
                    PageRequest page = PageRequest.of(pageSize, pageToken);
                    return services.triggers(triggers -> triggers.listDeliveries(ListDeliveriesRequest.newBuilder()
                            .setWorkspace(workspace).setProfileId(profileId)
                            .setPageSize(page.size()).setPageToken(page.token()).build()));
                })
                .map(TriggerResource::page);
    }

    @GET
    @Path("{profileId}/segments")
    @Operation(summary = "The segments the profile is in")
    public Uni<SegmentMemberships> segments(@PathParam("ws") String workspace,
                                            @PathParam("profileId") String profileId) {
        return access.require(workspace, Permission.READ_PROFILES)
                .chain(ignored -> existingProfile(workspace, profileId))
                .chain(ignored -> services.segments(segments -> segments.getProfileSegments(
                        ProfileSegmentsRequest.newBuilder().setWorkspace(workspace).setProfileId(profileId).build())))
                .map(response -> new SegmentMemberships(response.getSegmentsList().stream()
                        .map(ProfileResource::view).toList()));
    }

    @GET
    @Path("{profileId}/consents")
    @Operation(summary = "The profile's consents: current state per purpose x channel, and the full ledger")
    public Uni<Consents> consents(@PathParam("ws") String workspace, @PathParam("profileId") String profileId) {
        return access.require(workspace, Permission.READ_CONSENTS)
                .chain(ignored -> existingProfile(workspace, profileId))
                .chain(ignored -> services.consents(consents -> consents.getConsents(GetConsentsRequest.newBuilder()
                        .setWorkspace(workspace).setProfileId(profileId).build())))
                .map(response -> new Consents(
                        response.getCurrentList().stream().map(ProfileResource::view).toList(),
                        response.getHistoryList().stream().map(ProfileResource::view).toList()));
    }

    @PUT
    @Path("{profileId}/consents")
    @Operation(summary = "Record a consent: {purpose, channel, status, source, proof: {formId, ip, userAgent}, "
            + "expiresAt}; only a grant expires (ISO-8601 instant)")
    public Uni<ConsentView> setConsent(@PathParam("ws") String workspace, @PathParam("profileId") String profileId,
                                       ConsentRequest request) {
        Caller caller = access.caller();
        return access.require(workspace, Permission.WRITE_CONSENTS)
                .map(ignored -> {
                    if (request == null) {
                        throw new InvalidInputException("BODY_REQUIRED", null,
                                "send {purpose, channel, status, source}");
                    }
                    SetConsentRequest.Builder consent = SetConsentRequest.newBuilder()
                            .setWorkspace(workspace)
                            .setProfileId(profileId)
                            .setPurpose(required(request.purpose(), "/purpose"))
                            .setChannel(required(request.channel(), "/channel"))
                            .setStatus(required(request.status(), "/status"))
                            // Who recorded it, when the caller does not say where it came from.
                            .setSource(request.source() == null || request.source().isBlank()
                                    ? "admin-api:" + caller.name() : request.source());
                    if (request.proof() != null) {
                        consent.setFormId(ContractValues.orEmpty(request.proof().formId()))
                                .setIp(ContractValues.orEmpty(request.proof().ip()))
                                .setUserAgent(ContractValues.orEmpty(request.proof().userAgent()));
                    }
                    if (request.expiresAt() != null && !request.expiresAt().isBlank()) {
                        consent.setExpiresAtMs(instant(request.expiresAt(), "/expiresAt").toEpochMilli());
                    }
                    return consent.build();
                })
                // The caller's own mistakes (400) are reported before anything is asked of other services.
                .call(consent -> existingProfile(workspace, profileId))
                .chain(consent -> services.consents(consents -> consents.setConsent(consent)))
                .map(ProfileResource::view);
    }

    /**
     * The profile, or profile-service's NOT_FOUND (a 404 problem). Segment- and consent-service
     * take any profile id, so without this check consents would be recorded for profiles that
     * do not exist.
     */
    private Uni<Profile> existingProfile(String workspace, String profileId) {
        return services.profiles(profiles -> profiles.getProfile(GetProfileRequest.newBuilder()
                .setWorkspace(workspace).setProfileId(profileId).build()));
    }

    /** {@code type:value}, split at the first colon: the value may hold colons of its own. */
    static Identifier parseIdentifier(String identifier) {
        if (identifier == null || identifier.isBlank()) {
            throw new InvalidInputException("IDENTIFIER_REQUIRED", "/identifier",
                    "identifier is required, as type:value, e.g. email:jane@example.com");
        }
        int colon = identifier.indexOf(':');
        if (colon <= 0 || colon == identifier.length() - 1) {
            throw new InvalidInputException("INVALID_IDENTIFIER", "/identifier",
                    "identifier must be type:value, e.g. email:jane@example.com, got '" + identifier + "'");
        }
        return Identifier.newBuilder().setType(identifier.substring(0, colon))
                .setValue(identifier.substring(colon + 1)).build();
    }

    /** Absent means no suppression; anything but true or false is refused rather than guessed. */
    private static boolean parseSuppress(String suppress) {
        if (suppress == null || suppress.isEmpty() || suppress.equals("false")) {
            return false;
        }
        if (suppress.equals("true")) {
            return true;
        }
        throw new InvalidInputException("INVALID_SUPPRESS", "/suppress",
                "suppress must be true or false, got '" + suppress + "'");
    }

    private static Instant instant(String value, String field) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException("INVALID_TIMESTAMP", field,
                    field.substring(1) + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, got '" + value + "'");
        }
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("FIELD_REQUIRED", field, field.substring(1) + " is required");
        }
        return value;
    }

    private ProfileView view(Profile profile) {
        return new ProfileView(profile.getProfileId(), ContractValues.json(json, profile.getTraitsJson()),
                profile.getIdentifiersList().stream()
                        .map(identifier -> new IdentifierView(identifier.getType(), identifier.getValue())).toList(),
                ContractValues.instant(profile.getFirstSeenMs()), ContractValues.instant(profile.getLastSeenMs()));
    }

    private EventView view(StoredEvent event) {
        return new EventView(event.getMessageId(), event.getType(), ContractValues.text(event.getEvent()),
                ContractValues.text(event.getChannel()), ContractValues.instant(event.getTimestampMs()),
                ContractValues.json(json, event.getPayloadJson()));
    }

    private static IdentityGraphView view(IdentityGraph graph) {
        return new IdentityGraphView(graph.getProfileId(),
                graph.getIdentifiersList().stream().map(held -> new GraphIdentifierView(held.getIdentifier().getType(),
                        held.getIdentifier().getValue(), ContractValues.instant(held.getAddedAtMs()))).toList(),
                graph.getMergedList().stream().map(merged -> new MergedProfileView(merged.getProfileId(), merged.getCause(),
                        ContractValues.instant(merged.getMergedAtMs()))).toList(),
                graph.getDroppedList().stream().map(drop -> new DroppedIdentifierView(drop.getIdentifier().getType(),
                        drop.getIdentifier().getValue(), drop.getMessageId(), drop.getReason(), drop.getDetail(),
                        ContractValues.instant(drop.getDroppedAtMs()))).toList());
    }

    private static SegmentMembershipView view(ProfileSegment segment) {
        return new SegmentMembershipView(segment.getSegmentId(), segment.getName(),
                ContractValues.instant(segment.getEnteredAtMs()));
    }

    private static ConsentView view(ConsentRecord record) {
        return new ConsentView(record.getPurpose(), record.getChannel(), record.getStatus(), record.getSource(),
                ContractValues.instant(record.getRecordedAtMs()), record.getOrigin(),
                new ConsentProof(record.getFormId(), record.getIp(), record.getUserAgent()),
                ContractValues.instant(record.getExpiresAtMs()));
    }
}
