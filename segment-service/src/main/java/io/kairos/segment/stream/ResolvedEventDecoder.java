package io.kairos.segment.stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.segment.domain.JsonValueReader;
import io.kairos.segment.domain.ObservedEvent;
import io.kairos.segment.domain.ProfileActivity;
import io.kairos.segment.domain.Value;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads a {@code kairos.events.resolved} message into what segment evaluation needs. */
final class ResolvedEventDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResolvedEventDecoder() {
    }

    /** What a resolved message asks of segment-service. */
    sealed interface Decoded {
    }

    record Activity(ProfileActivity activity) implements Decoded {
    }

    /** The profile was erased: its memberships end and its state goes. */
    record Deletion(String workspace, String profileId) implements Decoded {
    }

    /** A body segment-service does not act on yet (merges). */
    record Ignored() implements Decoded {
    }

    /**
     * @throws PoisonMessageException when the message is malformed
     */
    static Decoded decode(byte[] payload) {
        if (payload == null) {
            throw new PoisonMessageException("message has no value");
        }
        ResolvedEvent resolved;
        try {
            resolved = ResolvedEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessageException("not a kairos.events.ResolvedEvent: " + e.getMessage(), e);
        }
        if (resolved.getWorkspace().isBlank()) {
            throw new PoisonMessageException("ResolvedEvent without workspace");
        }
        if (resolved.getProfileId().isBlank()) {
            throw new PoisonMessageException("ResolvedEvent without profile_id");
        }
        return switch (resolved.getBodyCase()) {
            case EVENT -> new Activity(activity(resolved.getWorkspace(), resolved.getProfileId(), resolved.getEvent()));
            case DELETED -> new Deletion(resolved.getWorkspace(), resolved.getProfileId());
            case MERGED -> new Ignored();
            case BODY_NOT_SET -> throw new PoisonMessageException("ResolvedEvent without body");
        };
    }

    private static ProfileActivity activity(String workspace, String profileId, ProfileEvent event) {
        RawEvent raw = event.getRaw();
        if (!raw.getWorkspace().isEmpty() && !raw.getWorkspace().equals(workspace)) {
            throw new PoisonMessageException("raw event of workspace '" + raw.getWorkspace()
                    + "' inside a ResolvedEvent of workspace '" + workspace + "'");
        }
        if (raw.getMessageId().isBlank()) {
            throw new PoisonMessageException("ProfileEvent without raw.message_id");
        }
        Optional<Map<String, Value>> traits = event.getTraitsJson().isEmpty()
                ? Optional.empty()
                : Optional.of(JsonValueReader.readObject(object(event.getTraitsJson(), "traits_json")));
        Set<String> changed = new TreeSet<>();
        if (!event.getChangedTraitsJson().isEmpty()) {
            object(event.getChangedTraitsJson(), "changed_traits_json").fieldNames().forEachRemaining(changed::add);
        }
        return new ProfileActivity(workspace, profileId, raw.getMessageId(), traits, changed, trackedEvent(raw));
    }

    /** Only {@code track} events are what event conditions count. */
    private static Optional<ObservedEvent> trackedEvent(RawEvent raw) {
        if (!"track".equals(raw.getType()) || raw.getEvent().isBlank()) {
            return Optional.empty();
        }
        long millis = raw.getTimestampMs() > 0 ? raw.getTimestampMs() : raw.getReceivedAtMs();
        if (millis <= 0) {
            throw new PoisonMessageException("track event without timestamp_ms or received_at_ms");
        }
        Map<String, Value> properties = Map.of();
        if (!raw.getPayloadJson().isEmpty()) {
            JsonNode node = object(raw.getPayloadJson(), "raw.payload_json").path("properties");
            if (node.isObject()) {
                properties = JsonValueReader.readObject(node);
            } else if (!node.isMissingNode() && !node.isNull()) {
                throw new PoisonMessageException("raw.payload_json.properties is not a JSON object");
            }
        }
        return Optional.of(new ObservedEvent(raw.getEvent(), Instant.ofEpochMilli(millis), properties));
    }

    private static JsonNode object(ByteString json, String field) {
        JsonNode node;
        try {
            node = JSON.readTree(json.toByteArray());
        } catch (JacksonException e) {
            throw new PoisonMessageException(field + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PoisonMessageException(field + " is unreadable: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new PoisonMessageException(field + " is not a JSON object");
        }
        return node;
    }
}
