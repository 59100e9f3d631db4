package io.kairos.trigger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.kairos.api.trigger.ChannelProviderRef;
import io.kairos.api.trigger.ChannelProviderSettings;
import io.kairos.api.trigger.CreateTriggerRequest;
import io.kairos.api.trigger.DeleteChannelProviderResponse;
import io.kairos.api.trigger.ListChannelProvidersRequest;
import io.kairos.api.trigger.ListChannelProvidersResponse;
import io.kairos.api.trigger.SetChannelProviderRequest;
import io.kairos.api.trigger.DeleteTriggerResponse;
import io.kairos.api.trigger.Delivery;
import io.kairos.api.trigger.DryRunCheck;
import io.kairos.api.trigger.DryRunTriggerRequest;
import io.kairos.api.trigger.DryRunTriggerResponse;
import io.kairos.api.trigger.ListDeliveriesRequest;
import io.kairos.api.trigger.ListDeliveriesResponse;
import io.kairos.api.trigger.ListTriggersRequest;
import io.kairos.api.trigger.ListTriggersResponse;
import io.kairos.api.trigger.Trigger;
import io.kairos.api.trigger.TriggerRef;
import io.kairos.api.trigger.TriggerService;
import io.kairos.api.trigger.UpdateTriggerRequest;
import io.kairos.trigger.delivery.TriggerDryRun;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.ChannelProvider;
import io.kairos.trigger.domain.DeliveryCursor;
import io.kairos.trigger.domain.InvalidDocument;
import io.kairos.trigger.domain.DryRunReport;
import io.kairos.trigger.domain.InvalidDocument;
import io.kairos.trigger.domain.SecretRedaction;
import io.kairos.trigger.domain.TriggerDefinition;
import io.kairos.trigger.domain.TriggerDefinitionParser;
import io.kairos.trigger.domain.TriggerStatus;
import io.kairos.trigger.domain.WebhookPayload;
import io.kairos.trigger.store.ChannelProviderStore;
import io.kairos.trigger.store.DeliveryEntity;
import io.kairos.trigger.store.DeliveryLog;
import io.kairos.trigger.store.TriggerEntity;
import io.kairos.trigger.store.TriggerNameTaken;
import io.kairos.trigger.store.TriggerRevision;
import io.kairos.trigger.store.TriggerStore;
import io.kairos.trigger.store.TriggerVersionConflict;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * TriggerService over gRPC: validates, stores, edits, pauses, dry-runs and lists triggers and their delivery log.
 * Secrets never leave, and an edit that leaves a secret out keeps the stored one.
 */
@GrpcService
public class TriggerGrpcService implements TriggerService {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final TriggerStore triggers;
    private final DeliveryLog deliveries;
    private final TriggerDefinitionParser parser;
    private final ObjectMapper json;
    private final Clock clock;
    private final TriggerDryRun dryRun;
    private final ChannelProviderStore providers;

    public TriggerGrpcService(TriggerStore triggers, DeliveryLog deliveries, TriggerDefinitionParser parser,
                              ObjectMapper json, Clock clock, TriggerDryRun dryRun, ChannelProviderStore providers) {
        this.dryRun = dryRun;
        this.providers = providers;
        this.triggers = triggers;
        this.deliveries = deliveries;
        this.parser = parser;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Uni<Trigger> createTrigger(CreateTriggerRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            TriggerRevision revision = revision(document(request.getDefinitionJson()));
            TriggerEntity entity = new TriggerEntity();
            entity.id = UUID.randomUUID();
            entity.workspace = workspace;
            entity.name = revision.name();
            entity.version = 1;
            entity.definitionJson = revision.definitionJson();
            entity.entryKind = revision.entryKind();
            entity.entryKey = revision.entryKey();
            entity.status = TriggerStatus.ACTIVE.wireName();
            entity.createdAt = now();
            entity.updatedAt = entity.createdAt;
            return triggers.create(entity);
        }).map(this::toProto)
                .onFailure(TriggerNameTaken.class).transform(TriggerGrpcService::nameTaken);
    }

    @Override
    public Uni<Trigger> updateTrigger(UpdateTriggerRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            UUID id = triggerId(request.getTriggerId());
            int expectedVersion = expectedVersion(request.getExpectedVersion());
            Map<String, Object> document = document(request.getDefinitionJson());
            return triggers.update(workspace, id, expectedVersion, now(), stored ->
                    revision(SecretRedaction.keepStoredSecret(document, read(stored.definitionJson))));
        }).map(entity -> found(entity, request.getTriggerId()))
                .onFailure(TriggerNameTaken.class).transform(TriggerGrpcService::nameTaken)
                .onFailure(TriggerVersionConflict.class).transform(e -> GrpcFailures.failure(
                        Code.FAILED_PRECONDITION, "VERSION_CONFLICT", "/expected_version", e.getMessage()));
    }

    @Override
    public Uni<Trigger> pauseTrigger(TriggerRef request) {
        return setStatus(request, TriggerStatus.PAUSED);
    }

    @Override
    public Uni<Trigger> resumeTrigger(TriggerRef request) {
        return setStatus(request, TriggerStatus.ACTIVE);
    }

    private Uni<Trigger> setStatus(TriggerRef request, TriggerStatus status) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            return triggers.setStatus(workspace, triggerId(request.getTriggerId()), status, now());
        }).map(entity -> found(entity, request.getTriggerId()));
    }

    @Override
    public Uni<Trigger> getTrigger(TriggerRef request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            UUID id = triggerId(request.getTriggerId());
            return triggers.findLive(workspace, id);
        }).map(entity -> found(entity, request.getTriggerId()));
    }

    @Override
    public Uni<ListTriggersResponse> listTriggers(ListTriggersRequest request) {
        return Uni.createFrom().deferred(() -> triggers.listLive(workspace(request.getWorkspace())))
                .map(entities -> ListTriggersResponse.newBuilder()
                        .addAllTriggers(entities.stream().map(this::toProto).toList())
                        .build());
    }

    @Override
    public Uni<DeleteTriggerResponse> deleteTrigger(TriggerRef request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            return triggers.delete(workspace, triggerId(request.getTriggerId()), clock.instant());
        }).map(deleted -> {
            if (!deleted) {
                throw GrpcFailures.triggerNotFound(request.getTriggerId());
            }
            return DeleteTriggerResponse.getDefaultInstance();
        });
    }

    @Override
    public Uni<ChannelProviderSettings> setChannelProvider(SetChannelProviderRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            Channel channel = providerChannel(request.getChannel());
            Object settings = json(request.getSettingsJson(), "/settings_json");
            return providers.of(workspace, channel).chain(current -> {
                ChannelProvider provider;
                try {
                    provider = ChannelProvider.parse(channel, settings, current.orElse(null));
                } catch (InvalidDocument e) {
                    throw GrpcFailures.invalid(e.reason(), e.pointer(), e.getMessage());
                }
                return providers.put(workspace, channel, provider, now()).replaceWith(settings(workspace, channel, provider));
            });
        });
    }

    @Override
    public Uni<ListChannelProvidersResponse> listChannelProviders(ListChannelProvidersRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            return providers.all(workspace).map(all -> {
                ListChannelProvidersResponse.Builder response = ListChannelProvidersResponse.newBuilder();
                all.forEach((channel, provider) -> response.addProviders(settings(workspace, channel, provider)));
                return response.build();
            });
        });
    }

    @Override
    public Uni<DeleteChannelProviderResponse> deleteChannelProvider(ChannelProviderRef request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            Channel channel = providerChannel(request.getChannel());
            return providers.delete(workspace, channel);
        }).map(deleted -> {
            if (!deleted) {
                throw GrpcFailures.failure(Code.NOT_FOUND, "PROVIDER_NOT_FOUND", "/channel",
                        "the workspace has no " + request.getChannel() + " provider");
            }
            return DeleteChannelProviderResponse.getDefaultInstance();
        });
    }

    private ChannelProviderSettings settings(String workspace, Channel channel, ChannelProvider provider) {
        return ChannelProviderSettings.newBuilder().setWorkspace(workspace).setChannel(channel.wireName())
                .setSettingsJson(ByteString.copyFromUtf8(write(provider.redacted()))).build();
    }

    private static Channel providerChannel(String name) {
        return Channel.fromWireName(name).filter(ChannelProvider.CHANNELS::contains).orElseThrow(() -> GrpcFailures.invalid(
                "NO_PROVIDER_CHANNEL", "/channel", "providers are set for email, sms and push; got \"" + name + "\""));
    }

    private Object json(ByteString bytes, String field) {
        try {
            return json.readValue(bytes.toByteArray(), Object.class);
        } catch (IOException e) {
            throw GrpcFailures.invalid("INVALID_JSON", field, field.substring(1) + " is not valid JSON");
        }
    }

    @Override
    public Uni<DryRunTriggerResponse> dryRunTrigger(DryRunTriggerRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            UUID id = triggerId(request.getTriggerId());
            if (request.getProfileId().isBlank()) {
                throw GrpcFailures.invalid("MISSING_FIELD", "/profile_id", "profile_id is required");
            }
            Map<String, Object> event = request.getEventJson().isEmpty() ? null : entryEvent(request.getEventJson());
            return triggers.findLive(workspace, id)
                    .chain(trigger -> dryRun.run(trigger, request.getTriggerId(), request.getProfileId(), event));
        }).map(this::toProto)
                .onFailure(TriggerDryRun.NotFound.class).transform(e -> GrpcFailures.failure(Code.NOT_FOUND,
                        ((TriggerDryRun.NotFound) e).reason(), "", e.getMessage()));
    }

    private DryRunTriggerResponse toProto(DryRunReport report) {
        DryRunTriggerResponse.Builder response = DryRunTriggerResponse.newBuilder()
                .setOutcome(report.outcome().wireName())
                .setReason(report.reason())
                .setAtMs(report.at().toEpochMilli())
                .setChannel(report.channel().wireName());
        report.message().ifPresent(message -> response.setMessageJson(ByteString.copyFromUtf8(write(WebhookPayload.message(message)))));
        report.checks().forEach(check -> response.addChecks(DryRunCheck.newBuilder().setCheck(check.check())
                .setVerdict(check.verdict().wireName()).setDetail(check.detail())));
        return response.build();
    }

    /** {"event": name, "properties"?: {..}, "context"?: {..}}: what a dry run of an event trigger may take as its entry. */
    private Map<String, Object> entryEvent(ByteString eventJson) {
        Object document;
        try {
            document = json.readValue(eventJson.toByteArray(), Object.class);
        } catch (IOException e) {
            throw GrpcFailures.invalid("INVALID_JSON", "/event_json", "event_json is not valid JSON");
        }
        if (!(document instanceof Map<?, ?> event) || !(event.get("event") instanceof String name) || name.isBlank()) {
            throw GrpcFailures.invalid("INVALID_EVENT", "/event_json/event",
                    "the entry event is an object with an \"event\" name, and optionally \"properties\" and \"context\" objects");
        }
        for (String member : List.of("properties", "context")) {
            if (event.get(member) != null && !(event.get(member) instanceof Map<?, ?>)) {
                throw GrpcFailures.invalid("INVALID_EVENT", "/event_json/" + member, member + " must be an object");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) event;
        return object;
    }

    @Override
    public Uni<ListDeliveriesResponse> listDeliveries(ListDeliveriesRequest request) {
        return Uni.createFrom().deferred(() -> {
            String workspace = workspace(request.getWorkspace());
            int pageSize = pageSize(request.getPageSize());
            DeliveryCursor after = cursor(request.getPageToken());
            String profileId = request.getProfileId().isEmpty() ? null : request.getProfileId();
            if (request.getTriggerId().isBlank() && profileId != null) {
                // A profile's deliveries across triggers: a profile without any has an empty log, not a 404.
                return deliveries.page(workspace, null, profileId, after, pageSize + 1).map(rows -> page(rows, pageSize));
            }
            UUID triggerId = triggerId(request.getTriggerId());
            return triggers.existedIn(workspace, triggerId).flatMap(existed -> {
                if (!existed) {
                    throw GrpcFailures.triggerNotFound(request.getTriggerId());
                }
                // One row more than asked tells whether there is a next page.
                return deliveries.page(workspace, triggerId, profileId, after, pageSize + 1);
            }).map(rows -> page(rows, pageSize));
        });
    }

    private static ListDeliveriesResponse page(List<DeliveryEntity> rows, int pageSize) {
        ListDeliveriesResponse.Builder response = ListDeliveriesResponse.newBuilder();
        rows.stream().limit(pageSize).forEach(row -> response.addDeliveries(Delivery.newBuilder()
                .setFiringId(row.firingId.toString())
                .setTriggerId(row.triggerId.toString())
                .setProfileId(row.profileId)
                .setChannel(row.channel)
                .setOutcome(row.outcome)
                .setReason(row.reason == null ? "" : row.reason)
                .setFiredAtMs(row.firedAt.toEpochMilli())
                .setAttempts(row.attempts)
                .setResponseStatus(row.responseStatus == null ? 0 : row.responseStatus)));
        if (rows.size() > pageSize) {
            DeliveryEntity last = rows.get(pageSize - 1);
            response.setNextPageToken(new DeliveryCursor(last.firedAt, last.firingId).encode());
        }
        return response.build();
    }

    /** A definition validated as create and update both validate it, ready to store. */
    private TriggerRevision revision(Map<String, Object> document) {
        TriggerDefinition definition;
        try {
            definition = parser.parse(document);
        } catch (InvalidDocument e) {
            throw GrpcFailures.invalid(e.reason(), e.pointer(), e.getMessage());
        }
        return new TriggerRevision(definition.name(), write(document), definition.when().kind(),
                definition.when().key());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Trigger found(TriggerEntity entity, String triggerId) {
        if (entity == null) {
            throw GrpcFailures.triggerNotFound(triggerId);
        }
        return toProto(entity);
    }

    private static StatusRuntimeException nameTaken(Throwable failure) {
        return GrpcFailures.failure(Code.ALREADY_EXISTS, "TRIGGER_NAME_TAKEN", "/name", failure.getMessage());
    }

    private static int expectedVersion(int expectedVersion) {
        if (expectedVersion < 0) {
            throw GrpcFailures.invalid("INVALID_VERSION", "/expected_version",
                    "expected_version must be a version (1 or more), or 0 to not check it");
        }
        return expectedVersion;
    }

    private Trigger toProto(TriggerEntity entity) {
        return Trigger.newBuilder()
                .setWorkspace(entity.workspace)
                .setTriggerId(entity.id.toString())
                .setName(entity.name)
                .setVersion(entity.version)
                .setDefinitionJson(ByteString.copyFromUtf8(write(SecretRedaction.redact(read(entity.definitionJson)))))
                .setCreatedAtMs(entity.createdAt.toEpochMilli())
                .setStatus(entity.status)
                .setUpdatedAtMs(entity.updatedAt.toEpochMilli())
                .build();
    }

    private static String workspace(String workspace) {
        if (workspace.isBlank()) {
            throw GrpcFailures.invalid("MISSING_FIELD", "/workspace", "workspace is required");
        }
        return workspace;
    }

    /** An id that is not a UUID names no trigger: NOT_FOUND, like any other unknown id. */
    private static UUID triggerId(String triggerId) {
        if (triggerId.isBlank()) {
            throw GrpcFailures.invalid("MISSING_FIELD", "/trigger_id", "trigger_id is required");
        }
        try {
            return UUID.fromString(triggerId);
        } catch (IllegalArgumentException e) {
            throw GrpcFailures.triggerNotFound(triggerId);
        }
    }

    private static int pageSize(int requested) {
        if (requested < 0) {
            throw GrpcFailures.invalid("INVALID_PAGE_SIZE", "/page_size", "page_size must not be negative");
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    }

    private static DeliveryCursor cursor(String token) {
        if (token.isEmpty()) {
            return null;
        }
        try {
            return DeliveryCursor.decode(token);
        } catch (IllegalArgumentException e) {
            throw GrpcFailures.invalid("INVALID_PAGE_TOKEN", "/page_token", "page_token was not issued by this API");
        }
    }

    private Map<String, Object> document(ByteString definitionJson) {
        if (definitionJson.isEmpty()) {
            throw GrpcFailures.invalid("MISSING_FIELD", "", "definition_json is required");
        }
        Object document;
        try {
            document = json.readValue(definitionJson.toByteArray(), Object.class);
        } catch (IOException e) {
            throw GrpcFailures.invalid("INVALID_JSON", "", "definition_json is not valid JSON: "
                    + (e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage()));
        }
        if (!(document instanceof Map<?, ?>)) {
            throw GrpcFailures.invalid("WRONG_TYPE", "", "the trigger definition must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) document;
        return object;
    }

    private Map<String, Object> read(String definitionJson) {
        try {
            return json.readValue(definitionJson, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored definition is not JSON", e);
        }
    }

    private String write(Object document) {
        try {
            return json.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
