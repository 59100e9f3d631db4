package io.kairos.profile.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.kairos.api.common.Identifier;
import io.kairos.api.profile.DeleteProfileRequest;
import io.kairos.api.profile.DeleteProfileResponse;
import io.kairos.api.profile.GetIdentityGraphRequest;
import io.kairos.api.profile.GetHistoryRetentionRequest;
import io.kairos.api.profile.GetIdentityRulesRequest;
import io.kairos.api.profile.HistoryRetention;
import io.kairos.api.profile.HistoryRetentions;
import io.kairos.api.profile.ListHistoryRetentionsRequest;
import io.kairos.api.profile.UpdateHistoryRetentionRequest;
import io.kairos.api.profile.WorkspaceRetention;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.api.profile.IdentityGraph;
import io.kairos.api.profile.MergeProfilesRequest;
import io.kairos.api.profile.MergeProfilesResponse;
import io.kairos.api.profile.UpdateIdentityRulesRequest;
import io.kairos.api.profile.ListEventsRequest;
import io.kairos.api.profile.ListEventsResponse;
import io.kairos.api.profile.LookupProfileRequest;
import io.kairos.api.profile.MutinyProfileServiceGrpc;
import io.kairos.api.profile.Profile;
import io.kairos.api.profile.StoredEvent;
import io.kairos.profile.domain.ObservedEvent;
import io.kairos.profile.store.ErasureRequest;
import io.kairos.profile.store.EventCursor;
import io.kairos.profile.store.EventRetention;
import io.kairos.profile.store.HistoryFilter;
import io.kairos.profile.store.ProfileDirectory;
import io.kairos.profile.store.MergeRefusedException;
import io.kairos.profile.store.ProfileEraser;
import io.kairos.profile.store.ProfileMerger;
import io.kairos.profile.store.ProfileView;
import io.kairos.profile.store.UnknownProfileException;
import io.kairos.profile.store.WorkspaceIdentityRules;
import io.kairos.profile.stream.ErasureAnnouncer;
import io.kairos.profile.stream.ResolvedEventPublisher;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

@GrpcService
public class ProfileGrpcService extends MutinyProfileServiceGrpc.ProfileServiceImplBase {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;
    static final int MAX_AUDIT_TEXT = 256;

    @Inject
    ProfileDirectory directory;

    @Inject
    ProfileEraser eraser;

    @Inject
    ErasureAnnouncer announcer;

    @Inject
    ObjectMapper json;

    @Inject
    WorkspaceIdentityRules identityRules;

    @Inject
    ProfileMerger merger;

    @Inject
    EventRetention retention;

    @Inject
    ResolvedEventPublisher publisher;

    @Override
    public Uni<Profile> getProfile(GetProfileRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            UUID profileId = profileId(request.getProfileId());
            return directory.profile(workspace, profileId)
                    .map(found -> found.map(this::toProto).orElseThrow(() -> profileNotFound(request.getProfileId())));
        });
    }

    @Override
    public Uni<Profile> lookupProfile(LookupProfileRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            io.kairos.profile.domain.Identifier identifier = identifier(request);
            return identityRules.of(workspace).chain(rules -> {
                if (rules.rules().blocks(request.getIdentifier().getValue())) {
                    throw GrpcFailure.invalidArgument("BLOCKED_IDENTIFIER", "/identifier/value", "identifier.value '"
                            + request.getIdentifier().getValue() + "' is a placeholder that never identifies a profile");
                }
                return directory.lookup(workspace, identifier);
            }).map(found -> found.map(this::toProto).orElseThrow(() -> GrpcFailure.notFound("PROFILE_NOT_FOUND",
                    "no profile with identifier " + identifier.type() + ":" + identifier.value())));
        });
    }

    @Override
    public Uni<ListEventsResponse> listEvents(ListEventsRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            UUID profileId = profileId(request.getProfileId());
            int pageSize = pageSize(request.getPageSize());
            Optional<EventCursor> after = request.getPageToken().isEmpty()
                    ? Optional.empty()
                    : Optional.of(EventPageToken.decode(request.getPageToken()).orElseThrow(() -> GrpcFailure.invalidArgument(
                            "INVALID_PAGE_TOKEN", "/pageToken", "pageToken was not issued by ListEvents")));
            Optional<String> event = request.getEvent().isEmpty() ? Optional.empty() : Optional.of(request.getEvent());
            Optional<Instant> from = request.getFromMs() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(request.getFromMs()));
            Optional<Instant> to = request.getToMs() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(request.getToMs()));
            if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
                throw GrpcFailure.invalidArgument("INVALID_TIME_RANGE", "/toMs", "toMs must be after fromMs");
            }
            return directory.events(workspace, profileId, new HistoryFilter(event, from, to), after, pageSize)
                    .map(found -> found.orElseThrow(() -> profileNotFound(request.getProfileId())))
                    .map(page -> {
                        ListEventsResponse.Builder response = ListEventsResponse.newBuilder();
                        page.events().forEach(stored -> response.addEvents(toProto(stored)));
                        page.next().ifPresent(next -> response.setNextPageToken(EventPageToken.encode(next)));
                        return response.build();
                    });
        });
    }

    @Override
    public Uni<DeleteProfileResponse> deleteProfile(DeleteProfileRequest request) {
        return Uni.createFrom().deferred(() -> {
            ErasureRequest erasure = new ErasureRequest(workspace(request.getWorkspace()), profileId(request.getProfileId()),
                    request.getSuppress(), requestedBy(request.getRequestedBy(), "the erasure", "/requestedBy"), requestId(request.getRequestId()));
            return eraser.erase(erasure)
                    .map(found -> found.orElseThrow(() -> profileNotFound(request.getProfileId())))
                    // After the commit, and not waited for: the tombstone keeps the announcement until Kafka has it.
                    .invoke(receipt -> announcer.announceSoon(receipt.workspace(), receipt.profileId()))
                    .map(receipt -> DeleteProfileResponse.newBuilder()
                            .setProfileId(receipt.profileId().toString())
                            .setDeletedAtMs(receipt.deletedAt().toEpochMilli())
                            .setIdentifiersRemoved(receipt.identifiersRemoved())
                            .setEventsRemoved(receipt.eventsRemoved())
                            .setSuppressed(receipt.suppressed())
                            .build());
        });
    }

    @Override
    public Uni<IdentityGraph> getIdentityGraph(GetIdentityGraphRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            UUID profileId = profileId(request.getProfileId());
            return directory.identityGraph(workspace, profileId)
                    .map(found -> found.map(IdentityProtos::toProto).orElseThrow(() -> profileNotFound(request.getProfileId())));
        });
    }

    @Override
    public Uni<MergeProfilesResponse> mergeProfiles(MergeProfilesRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            String requestedBy = requestedBy(request.getRequestedBy(), "the merge", "/requestedBy");
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < request.getProfileIdsCount(); i++) {
                ids.add(profileId(request.getProfileIds(i), "/profileIds/" + i));
            }
            if (ids.stream().distinct().count() < 2) {
                throw GrpcFailure.invalidArgument("TOO_FEW_PROFILES", "/profileIds", "name at least two different profiles to merge");
            }
            return identityRules.of(workspace)
                    .chain(rules -> merger.mergeManually(workspace, ids, rules.rules(), requestedBy))
                    .onFailure(MergeRefusedException.class).transform(refused -> GrpcFailure.failedPrecondition(
                            "MERGE_BREAKS_LIMIT", refused.getMessage()))
                    .onFailure(UnknownProfileException.class).transform(unknown -> profileNotFound(
                            ((UnknownProfileException) unknown).profileId().toString()))
                    // After the commit; a failure here fails the call, and repeating it announces again.
                    .call(merge -> publisher.publishMerge(workspace, merge.survivorId(), merge.mergedIds(), merge.at(),
                            merge.traits()))
                    .map(merge -> MergeProfilesResponse.newBuilder()
                            .setSurvivorId(merge.survivorId().toString())
                            .addAllMergedIds(merge.mergedIds().stream().map(UUID::toString).toList())
                            .build());
        });
    }

    @Override
    public Uni<io.kairos.api.profile.IdentityRules> getIdentityRules(GetIdentityRulesRequest request) {
        return Uni.createFrom().deferred(() -> identityRules.of(workspace(request.getWorkspace())).map(IdentityProtos::toProto));
    }

    @Override
    public Uni<io.kairos.api.profile.IdentityRules> updateIdentityRules(UpdateIdentityRulesRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            if (!request.hasRules()) {
                throw GrpcFailure.invalidArgument("MISSING_FIELD", "/rules", "rules is required");
            }
            io.kairos.profile.domain.IdentityRules rules = IdentityProtos.fromProto(request.getRules());
            String updatedBy = requestedBy(request.getUpdatedBy(), "the change", "/updatedBy");
            return identityRules.replace(workspace, rules, updatedBy).map(IdentityProtos::toProto);
        });
    }

    @Override
    public Uni<HistoryRetention> getHistoryRetention(GetHistoryRetentionRequest request) {
        return Uni.createFrom().deferred(() -> retention.of(workspace(request.getWorkspace())))
                .map(ProfileGrpcService::toProto);
    }

    @Override
    public Uni<HistoryRetention> updateHistoryRetention(UpdateHistoryRetentionRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            if (request.getDays() < EventRetention.MIN_DAYS || request.getDays() > EventRetention.MAX_DAYS) {
                throw GrpcFailure.invalidArgument("INVALID_RETENTION", "/days", "days must be a whole number from "
                        + EventRetention.MIN_DAYS + " to " + EventRetention.MAX_DAYS);
            }
            String updatedBy = requestedBy(request.getUpdatedBy(), "the change", "/updatedBy");
            return retention.set(workspace, request.getDays(), updatedBy).map(ProfileGrpcService::toProto);
        });
    }

    @Override
    public Uni<HistoryRetentions> listHistoryRetentions(ListHistoryRetentionsRequest request) {
        return retention.own().map(own -> {
            HistoryRetentions.Builder all = HistoryRetentions.newBuilder().setDefaultDays(retention.defaultDays());
            own.forEach((workspace, days) -> all.addWorkspaces(WorkspaceRetention.newBuilder().setWorkspace(workspace).setDays(days)));
            return all.build();
        });
    }

    private static HistoryRetention toProto(EventRetention.Policy policy) {
        return HistoryRetention.newBuilder().setDays(policy.days()).setServiceDefault(policy.serviceDefault()).build();
    }

    /** Who asked, for the audit trail: required, bounded. {@code field} is its JSON pointer. */
    private static String requestedBy(String requestedBy, String what, String field) {
        if (requestedBy.isBlank()) {
            throw GrpcFailure.invalidArgument("MISSING_FIELD", field, field.substring(1) + " is required: who asked for " + what);
        }
        return bounded(requestedBy, field);
    }

    private static Optional<String> requestId(String requestId) {
        return requestId.isBlank() ? Optional.empty() : Optional.of(bounded(requestId, "/requestId"));
    }

    private static String bounded(String value, String field) {
        if (value.length() > MAX_AUDIT_TEXT) {
            throw GrpcFailure.invalidArgument("FIELD_TOO_LONG", field,
                    field.substring(1) + " must not exceed " + MAX_AUDIT_TEXT + " characters");
        }
        return value;
    }

    private static String workspace(String workspace) {
        if (workspace.isBlank()) {
            throw GrpcFailure.invalidArgument("MISSING_FIELD", "/workspace", "workspace is required");
        }
        return workspace;
    }

    private static UUID profileId(String profileId) {
        return profileId(profileId, "/profileId");
    }

    private static UUID profileId(String profileId, String field) {
        if (profileId.isBlank()) {
            throw GrpcFailure.invalidArgument("MISSING_FIELD", field, "profileId is required");
        }
        try {
            UUID parsed = UUID.fromString(profileId);
            // UUID.fromString also accepts shortened forms such as "1-1-1-1-1"; a profile id never looks like that.
            if (parsed.toString().equalsIgnoreCase(profileId)) {
                return parsed;
            }
        } catch (IllegalArgumentException notUuid) {
            // reported below
        }
        throw GrpcFailure.invalidArgument("INVALID_PROFILE_ID", field, "profileId '" + profileId + "' is not a UUID");
    }

    private static io.kairos.profile.domain.Identifier identifier(LookupProfileRequest request) {
        if (!request.hasIdentifier()) {
            throw GrpcFailure.invalidArgument("MISSING_FIELD", "/identifier", "identifier is required");
        }
        Identifier identifier = request.getIdentifier();
        if (identifier.getType().isBlank()) {
            throw GrpcFailure.invalidArgument("MISSING_FIELD", "/identifier/type", "identifier.type is required");
        }
        if (identifier.getValue().isBlank()) {
            throw GrpcFailure.invalidArgument("MISSING_FIELD", "/identifier/value", "identifier.value is required");
        }
        return io.kairos.profile.domain.Identifier.normalise(identifier.getType(), identifier.getValue()).orElseThrow();
    }

    private static int pageSize(int requested) {
        if (requested < 0) {
            throw GrpcFailure.invalidArgument("INVALID_PAGE_SIZE", "/pageSize", "pageSize must not be negative");
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    }

    private static RuntimeException profileNotFound(String profileId) {
        return GrpcFailure.notFound("PROFILE_NOT_FOUND", "no profile " + profileId + " in this workspace");
    }

    private Profile toProto(ProfileView view) {
        Profile.Builder profile = Profile.newBuilder()
                .setWorkspace(view.workspace())
                .setProfileId(view.profileId().toString())
                .setTraitsJson(json(view.traits()))
                .setFirstSeenMs(view.firstSeen().toEpochMilli())
                .setLastSeenMs(view.lastSeen().toEpochMilli());
        view.identifiers().forEach(id -> profile.addIdentifiers(Identifier.newBuilder().setType(id.type()).setValue(id.value())));
        return profile.build();
    }

    private StoredEvent toProto(ObservedEvent event) {
        StoredEvent.Builder stored = StoredEvent.newBuilder()
                .setMessageId(event.messageId())
                .setType(event.type().wireName())
                .setTimestampMs(event.occurredAt().toEpochMilli())
                .setPayloadJson(json(event.payload()));
        if (event.event() != null) {
            stored.setEvent(event.event());
        }
        if (event.channel() != null) {
            stored.setChannel(event.channel());
        }
        return stored.build();
    }

    private ByteString json(Map<String, Object> object) {
        try {
            return ByteString.copyFrom(json.writeValueAsBytes(object));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
