package io.kairos.profile.domain;

import java.time.Instant;
import java.util.Map;

/** Builds observed events for the domain tests. */
final class Events {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private Events() {
    }

    static ObservedEvent identify(String userId, String anonymousId, Map<String, Object> payload, Instant at) {
        return event(EventType.IDENTIFY, null, userId, anonymousId, null, payload, at);
    }

    static ObservedEvent track(String name, String anonymousId, String channel, Map<String, Object> payload, Instant at) {
        return event(EventType.TRACK, name, null, anonymousId, channel, payload, at);
    }

    static ObservedEvent event(EventType type, String name, String userId, String anonymousId, String channel,
            Map<String, Object> payload, Instant at) {
        return new ObservedEvent("ws", "m-" + at.toEpochMilli(), type, name, userId, anonymousId, null, null, null,
                channel, at, at, payload);
    }
}
