package io.kairos.profile.store;

import java.time.Instant;
import java.util.Objects;

/** Position in a profile's history, newest first: the last event of the previous page. */
public record EventCursor(Instant occurredAt, String messageId) {

    public EventCursor {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(messageId, "messageId");
    }
}
