package io.kairos.gateway.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * An in-app message for one visitor, as trigger-service fired it: the rendered message (a JSON
 * object, e.g. {@code {"subject", "body"}}) and the firing that produced it. The firing id is
 * the idempotency key: the same firing is shown once however often it is delivered.
 */
public record InAppMessage(String workspace, String profileId, String triggerId, String firingId,
                           String messageJson, Instant firedAt) {

    /** A message older than the inbox keeps messages is not worth showing any more. */
    public boolean expired(Instant now, Duration retention) {
        return firedAt.plus(retention).isBefore(now);
    }
}
