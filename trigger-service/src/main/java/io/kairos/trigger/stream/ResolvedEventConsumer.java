package io.kairos.trigger.stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.ProfileMerged;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.trigger.delivery.FiringDispatcher;
import io.kairos.trigger.domain.TriggerCause;
import io.kairos.trigger.store.ProfileTraitsSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code kairos.events.resolved}: tracked events fire event triggers; every event, merge and
 * deletion also keeps the profile-traits snapshot current. The offset is committed when the
 * returned Uni completes, i.e. after every firing is in the delivery log.
 */
@ApplicationScoped
public class ResolvedEventConsumer {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final FiringDispatcher dispatcher;
    private final ProfileTraitsSnapshot traits;
    private final ObjectMapper json;
    private final MessageRetry retry;

    public ResolvedEventConsumer(FiringDispatcher dispatcher, ProfileTraitsSnapshot traits, ObjectMapper json,
                                 MessageRetry retry) {
        this.dispatcher = dispatcher;
        this.traits = traits;
        this.json = json;
        this.retry = retry;
    }

    @Incoming("resolved-events")
    public Uni<Void> consume(byte[] payload) {
        return retry.guard("kairos.events.resolved", Uni.createFrom().deferred(() -> {
            ResolvedEvent resolved = parse(payload);
            String workspace = resolved.getWorkspace();
            String profileId = resolved.getProfileId();
            return switch (resolved.getBodyCase()) {
                case EVENT -> onEvent(workspace, profileId, resolved.getEvent());
                case MERGED -> onMerge(workspace, profileId, resolved.getMerged());
                case DELETED -> traits.forget(workspace, List.of(profileId));
                case BODY_NOT_SET -> throw new PoisonMessage("ResolvedEvent without event, merged or deleted");
            };
        }));
    }

    private Uni<Void> onEvent(String workspace, String profileId, ProfileEvent event) {
        RawEvent raw = event.getRaw();
        Map<String, Object> profileTraits = object(event.getTraitsJson(), "traits_json");
        Uni<Void> remembered = event.getTraitsJson().isEmpty()
                ? Uni.createFrom().voidItem()
                : traits.remember(workspace, profileId, event.getTraitsJson().toStringUtf8());
        // Event triggers listen to tracked events; page and screen views carry a name, not an event.
        if (!"track".equals(raw.getType())) {
            return remembered;
        }
        if (raw.getMessageId().isEmpty() || raw.getEvent().isEmpty()) {
            throw new PoisonMessage("track event without message_id or event name");
        }
        Map<String, Object> message = object(raw.getPayloadJson(), "payload_json");
        TriggerCause cause = new TriggerCause.ObservedEvent(raw.getMessageId(), raw.getType(), raw.getEvent(),
                raw.getChannel(), Instant.ofEpochMilli(raw.getTimestampMs()), member(message, "properties"),
                member(message, "context"));
        return remembered.flatMap(ignored -> dispatcher.dispatch(workspace, profileId, cause, profileTraits));
    }

    private Uni<Void> onMerge(String workspace, String survivorId, ProfileMerged merged) {
        Uni<Void> remembered = merged.getTraitsJson().isEmpty()
                ? Uni.createFrom().voidItem()
                : traits.remember(workspace, survivorId, merged.getTraitsJson().toStringUtf8());
        return remembered.flatMap(ignored -> traits.forget(workspace,
                merged.getMergedIdsList().stream().filter(id -> !id.equals(survivorId)).toList()));
    }

    private static ResolvedEvent parse(byte[] payload) {
        ResolvedEvent resolved;
        try {
            resolved = ResolvedEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessage("not a kairos.events.ResolvedEvent: " + e.getMessage(), e);
        }
        if (resolved.getWorkspace().isEmpty() || resolved.getProfileId().isEmpty()) {
            throw new PoisonMessage("ResolvedEvent without workspace or profile_id");
        }
        return resolved;
    }

    private Map<String, Object> object(ByteString bytes, String field) {
        if (bytes.isEmpty()) {
            return Map.of();
        }
        try {
            return json.readValue(bytes.toByteArray(), OBJECT);
        } catch (IOException e) {
            throw new PoisonMessage(field + " is not a JSON object: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(Map<String, Object> message, String name) {
        return message.get(name) instanceof Map<?, ?> value ? (Map<String, Object>) value : Map.of();
    }
}
