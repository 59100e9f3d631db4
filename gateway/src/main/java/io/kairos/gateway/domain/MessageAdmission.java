package io.kairos.gateway.domain;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Decides whether Segment Tracking API messages are accepted, and completes the accepted
 * ones the way Segment does: messageId when missing, receivedAt, skew-corrected timestamp,
 * context defaults (channel of the source, client IP, Global Privacy Control).
 * <p>
 * Messages are JSON decoded to plain Java values (maps, lists, strings, numbers, booleans).
 * A refusal names the first offending field as a JSON pointer into the request; a batch is
 * accepted whole or not at all.
 */
public final class MessageAdmission {

    private static final List<String> OBJECT_FIELDS = List.of("properties", "traits", "integrations");

    private final int maxEventBytes;
    private final int maxBatchBytes;
    private final int maxBatchMessages;
    private final Function<Map<String, Object>, byte[]> encoder;

    /**
     * @param encoder writes a completed message as JSON, as it is stored. Each message is encoded
     *                once, here: the per-message size limit applies to that encoding, and it is what
     *                goes onto the event log.
     */
    public MessageAdmission(int maxEventBytes, int maxBatchBytes, int maxBatchMessages,
                            Function<Map<String, Object>, byte[]> encoder) {
        this.maxEventBytes = maxEventBytes;
        this.maxBatchBytes = maxBatchBytes;
        this.maxBatchMessages = maxBatchMessages;
        this.encoder = encoder;
    }

    /** Size limit of one message; {@code at} is its JSON pointer ("" for a whole request body). */
    public void requireEventSize(int encodedBytes, String at) {
        if (encodedBytes > maxEventBytes) {
            throw new InvalidInputException("EVENT_TOO_LARGE", pointerOrNull(at),
                    "a message may have at most %d bytes, this one has %d".formatted(maxEventBytes, encodedBytes));
        }
    }

    public void requireBatchSize(int encodedBytes) {
        if (encodedBytes > maxBatchBytes) {
            throw new InvalidInputException("BATCH_TOO_LARGE", null,
                    "a batch request may have at most %d bytes, this one has %d".formatted(maxBatchBytes, encodedBytes));
        }
    }

    /** One message posted to {@code /v1/<type>}: the path decides its type. */
    public AdmittedMessage admit(MessageType type, Object document, int encodedBytes, Reception reception) {
        requireEventSize(encodedBytes, "");
        return admitOne(type, asObject(document, ""), "", reception, null, null);
    }

    /**
     * A {@code /v1/batch} body: {"batch": [...], "context"?, "sentAt"?}. The batch-level
     * context fills in keys a message's own context lacks; the batch-level sentAt applies to
     * messages without their own.
     */
    public List<AdmittedMessage> admitBatch(Object document, int encodedBytes, Reception reception) {
        requireBatchSize(encodedBytes);
        Map<String, Object> body = asObject(document, "");
        if (!(body.get("batch") instanceof List<?> items)) {
            throw new InvalidInputException("BATCH_REQUIRED", "/batch", "batch must be an array of messages");
        }
        if (items.isEmpty()) {
            throw new InvalidInputException("EMPTY_BATCH", "/batch", "batch holds no message");
        }
        if (items.size() > maxBatchMessages) {
            throw new InvalidInputException("BATCH_TOO_MANY_MESSAGES", "/batch",
                    "a batch may hold at most %d messages, this one holds %d".formatted(maxBatchMessages, items.size()));
        }
        Map<String, Object> sharedContext = optionalObject(body, "context", "");
        Instant sharedSentAt = optionalInstant(body, "sentAt", "");
        List<AdmittedMessage> admitted = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String at = "/batch/" + i;
            admitted.add(admitOne(null, asObject(items.get(i), at), at, reception, sharedContext, sharedSentAt));
        }
        return admitted;
    }

    private AdmittedMessage admitOne(MessageType pathType, Map<String, Object> original, String at,
                                     Reception reception, Map<String, Object> sharedContext, Instant sharedSentAt) {
        Map<String, Object> message = new LinkedHashMap<>(original);
        // The write key is a secret: it authenticates the request and is never stored with the event.
        message.remove("writeKey");
        MessageType type = pathType != null ? pathType : typeOf(message.get("type"), at);
        message.put("type", type.wireName());

        String userId = identifier(message, "userId", at);
        String anonymousId = identifier(message, "anonymousId", at);
        String event = null;
        String previousId = null;
        String groupId = null;
        switch (type) {
            case TRACK -> event = requiredText(message, "event", at, "EVENT_REQUIRED", "track needs the event name");
            case PAGE, SCREEN -> event = optionalText(message, "name", at);
            case ALIAS -> {
                previousId = identifier(message, "previousId", at);
                if (previousId == null) {
                    throw new InvalidInputException("PREVIOUS_ID_REQUIRED", at + "/previousId",
                            "alias needs previousId, the identity being merged");
                }
                if (userId == null) {
                    throw new InvalidInputException("USER_ID_REQUIRED", at + "/userId",
                            "alias needs userId, the identity that previousId is merged into");
                }
            }
            case GROUP -> {
                groupId = identifier(message, "groupId", at);
                if (groupId == null) {
                    throw new InvalidInputException("GROUP_ID_REQUIRED", at + "/groupId", "group needs groupId");
                }
            }
            case IDENTIFY -> {
                // traits are optional; the identity check below is all identify needs
            }
        }
        if (userId == null && anonymousId == null) {
            throw new InvalidInputException("IDENTITY_REQUIRED", at + "/userId", "userId or anonymousId is required");
        }
        for (String field : OBJECT_FIELDS) {
            optionalObject(message, field, at);
        }
        String channel = completeContext(message, at, reception, sharedContext);
        String messageId = identifier(message, "messageId", at);
        if (messageId == null) {
            messageId = UUID.randomUUID().toString();
            message.put("messageId", messageId);
        }
        Instant timestamp = completeTimestamps(message, at, reception.receivedAt(), sharedSentAt);
        byte[] json = encoder.apply(message);
        requireEventSize(json.length, at);
        IngestionSource source = reception.source();
        return new AdmittedMessage(source.workspace(), source.sourceId(), type, messageId, userId, anonymousId,
                event, previousId, groupId, channel, timestamp, reception.receivedAt(), message, json);
    }

    private static MessageType typeOf(Object value, String at) {
        if (value == null) {
            throw new InvalidInputException("TYPE_REQUIRED", at + "/type",
                    "type is required: identify, track, page, screen, group or alias");
        }
        if (value instanceof String name) {
            return MessageType.fromWireName(name).orElseThrow(() -> new InvalidInputException("UNKNOWN_TYPE",
                    at + "/type", "type must be identify, track, page, screen, group or alias, got '" + name + "'"));
        }
        throw invalidType(at + "/type", "a string");
    }

    /** Returns the channel the message ends up with. */
    private static String completeContext(Map<String, Object> message, String at, Reception reception,
                                          Map<String, Object> sharedContext) {
        Map<String, Object> own = optionalObject(message, "context", at);
        Map<String, Object> context = new LinkedHashMap<>();
        if (sharedContext != null) {
            context.putAll(sharedContext);
        }
        if (own != null) {
            context.putAll(own);
        }
        Object channel = context.get("channel");
        String completedChannel;
        if (isAbsent(channel)) {
            completedChannel = reception.source().defaultChannel();
        } else if (channel instanceof String name) {
            // One spelling per channel, so that distinct-channel counts are right.
            completedChannel = name.strip().toLowerCase(Locale.ROOT);
        } else {
            throw invalidType(at + "/context/channel", "a string");
        }
        context.put("channel", completedChannel);
        if (isAbsent(context.get("ip")) && reception.clientIp() != null) {
            context.put("ip", reception.clientIp());
        }
        if (reception.globalPrivacyControl()) {
            context.put("gpc", true);
        }
        message.put("context", context);
        return completedChannel;
    }

    /**
     * Segment's clock-skew correction: a device's clock may be wrong, but the time between
     * the event and sending it is not, so timestamp = receivedAt - (sentAt - clientTime).
     * Without sentAt (server-side and historical imports) the client time is taken as is.
     */
    private static Instant completeTimestamps(Map<String, Object> message, String at, Instant receivedAt,
                                              Instant sharedSentAt) {
        Instant clientTimestamp = optionalInstant(message, "timestamp", at);
        Instant originalTimestamp = optionalInstant(message, "originalTimestamp", at);
        Instant sentAt = optionalInstant(message, "sentAt", at);
        if (sentAt == null && sharedSentAt != null) {
            sentAt = sharedSentAt;
            message.put("sentAt", sharedSentAt.toString());
        }
        Instant clientTime = originalTimestamp != null ? originalTimestamp : clientTimestamp;
        Instant timestamp;
        if (clientTime == null) {
            timestamp = receivedAt;
        } else if (sentAt != null) {
            timestamp = receivedAt.minus(Duration.between(clientTime, sentAt));
            message.putIfAbsent("originalTimestamp", message.get("timestamp"));
        } else {
            timestamp = clientTime;
        }
        message.put("timestamp", timestamp.toString());
        message.put("receivedAt", receivedAt.toString());
        return timestamp;
    }

    /** userId, anonymousId, previousId, groupId, messageId: strings, or integers taken as strings. */
    private static String identifier(Map<String, Object> message, String field, String at) {
        Object value = message.get(field);
        String text;
        if (value == null) {
            return null;
        } else if (value instanceof String string) {
            text = string;
        } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            text = value.toString();
        } else {
            throw invalidType(at + "/" + field, "a string");
        }
        if (text.isBlank()) {
            message.remove(field);
            return null;
        }
        message.put(field, text);
        return text;
    }

    private static String requiredText(Map<String, Object> message, String field, String at, String reason,
                                       String detail) {
        String text = optionalText(message, field, at);
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(reason, at + "/" + field, detail);
        }
        return text;
    }

    private static String optionalText(Map<String, Object> message, String field, String at) {
        Object value = message.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw invalidType(at + "/" + field, "a string");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> optionalObject(Map<String, Object> message, String field, String at) {
        Object value = message.get(field);
        if (value == null || value instanceof Map) {
            return (Map<String, Object>) value;
        }
        throw invalidType(at + "/" + field, "a JSON object");
    }

    private static Instant optionalInstant(Map<String, Object> message, String field, String at) {
        Object value = message.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // refused below, with the field named
            }
        }
        throw new InvalidInputException("INVALID_TIMESTAMP", at + "/" + field,
                field + " must be an ISO-8601 date-time with a zone offset, e.g. 2024-05-01T12:00:00.000Z, got " + value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object document, String at) {
        if (document instanceof Map) {
            return (Map<String, Object>) document;
        }
        throw new InvalidInputException("NOT_AN_OBJECT", pointerOrNull(at), "a message must be a JSON object");
    }

    private static boolean isAbsent(Object value) {
        return value == null || value instanceof String text && text.isBlank();
    }

    private static InvalidInputException invalidType(String field, String expected) {
        return new InvalidInputException("INVALID_FIELD_TYPE", field, field.substring(field.lastIndexOf('/') + 1)
                + " must be " + expected);
    }

    private static String pointerOrNull(String at) {
        return at.isEmpty() ? null : at;
    }
}
