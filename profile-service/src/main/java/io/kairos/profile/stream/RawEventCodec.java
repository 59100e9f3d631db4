package io.kairos.profile.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.RawEvent;
import io.kairos.profile.domain.EventType;
import io.kairos.profile.domain.ObservedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Between the kairos.events.raw wire format and the profile's view of an event. */
@ApplicationScoped
public class RawEventCodec {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** @throws PoisonMessageException when the record can never become a profile event */
    public ObservedEvent decode(RawEvent raw) {
        if (raw.getWorkspace().isBlank()) {
            throw new PoisonMessageException("RawEvent has no workspace");
        }
        if (raw.getMessageId().isBlank()) {
            throw new PoisonMessageException("RawEvent has no message_id, so it cannot be deduplicated");
        }
        EventType type = EventType.parse(raw.getType())
                .orElseThrow(() -> new PoisonMessageException("RawEvent type '" + raw.getType() + "' is not a Segment call type"));
        ObservedEvent event = new ObservedEvent(raw.getWorkspace(), raw.getMessageId(), type,
                emptyToNull(raw.getEvent()), emptyToNull(raw.getUserId()), emptyToNull(raw.getAnonymousId()),
                emptyToNull(raw.getPreviousId()), emptyToNull(raw.getGroupId()), emptyToNull(raw.getSourceId()),
                emptyToNull(raw.getChannel()), occurredAt(raw),
                raw.getReceivedAtMs() > 0 ? Instant.ofEpochMilli(raw.getReceivedAtMs()) : null,
                payload(raw.getPayloadJson()));
        return event;
    }

    public RawEvent parse(byte[] bytes) {
        if (bytes == null) {
            throw new PoisonMessageException("record has no value");
        }
        try {
            return RawEvent.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessageException("value is not a RawEvent protobuf: " + e.getMessage(), e);
        }
    }

    public RawEvent encode(ObservedEvent event) {
        RawEvent.Builder raw = RawEvent.newBuilder()
                .setWorkspace(event.workspace())
                .setMessageId(event.messageId())
                .setType(event.type().wireName())
                .setTimestampMs(event.occurredAt().toEpochMilli())
                .setPayloadJson(ByteString.copyFrom(toJson(event.payload())));
        if (event.event() != null) {
            raw.setEvent(event.event());
        }
        if (event.userId() != null) {
            raw.setUserId(event.userId());
        }
        if (event.anonymousId() != null) {
            raw.setAnonymousId(event.anonymousId());
        }
        if (event.previousId() != null) {
            raw.setPreviousId(event.previousId());
        }
        if (event.groupId() != null) {
            raw.setGroupId(event.groupId());
        }
        if (event.sourceId() != null) {
            raw.setSourceId(event.sourceId());
        }
        if (event.channel() != null) {
            raw.setChannel(event.channel());
        }
        if (event.receivedAt() != null) {
            raw.setReceivedAtMs(event.receivedAt().toEpochMilli());
        }
        return raw.build();
    }

    public byte[] toJson(Map<String, Object> object) {
        try {
            return json.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Instant occurredAt(RawEvent raw) {
        if (raw.getTimestampMs() > 0) {
            return Instant.ofEpochMilli(raw.getTimestampMs());
        }
        if (raw.getReceivedAtMs() > 0) {
            return Instant.ofEpochMilli(raw.getReceivedAtMs());
        }
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Map<String, Object> payload(ByteString payloadJson) {
        if (payloadJson.isEmpty()) {
            return Map.of();
        }
        try {
            JsonNode parsed = json.readTree(payloadJson.toByteArray());
            if (parsed == null || !parsed.isObject()) {
                throw new PoisonMessageException("RawEvent payload_json is not a JSON object");
            }
            return json.convertValue(parsed, JSON_OBJECT);
        } catch (IOException e) {
            throw new PoisonMessageException("RawEvent payload_json is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
