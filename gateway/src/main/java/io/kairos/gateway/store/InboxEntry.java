package io.kairos.gateway.store;

import io.kairos.gateway.domain.InboxPosition;

import java.time.Instant;

/** One message of a visitor's in-app inbox, at its place in the inbox. */
public record InboxEntry(InboxPosition position, String firingId, String triggerId, String messageJson,
                         Instant firedAt) {
}
