package io.kairos.gateway.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A Segment message that passed validation, with the gateway's additions (messageId,
 * receivedAt, skew-corrected timestamp, context defaults). {@code payload} is the message
 * as it will be stored: JSON values as plain Java maps, lists, strings, numbers, booleans;
 * {@code json} is that payload encoded, the bytes that go onto the event log (an array, so
 * this record's equality is not by value). Absent identifiers are null.
 */
public record AdmittedMessage(
        String workspace,
        String sourceId,
        MessageType type,
        String messageId,
        String userId,
        String anonymousId,
        String event,
        String previousId,
        String groupId,
        String channel,
        Instant timestamp,
        Instant receivedAt,
        Map<String, Object> payload,
        byte[] json) {

    /** Everything about one person stays on one partition: "workspace:userId", else anonymousId. */
    public String partitionKey() {
        return workspace + ":" + (userId != null ? userId : anonymousId);
    }
}
