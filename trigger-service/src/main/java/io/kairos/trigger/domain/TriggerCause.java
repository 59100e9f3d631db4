package io.kairos.trigger.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What happened to a profile that may fire triggers. */
public sealed interface TriggerCause {

    /** Idempotency key of the cause; with the trigger id it determines the firing id. */
    String causeId();

    /** The {@code event} object that templates and webhook receivers see. */
    Map<String, Object> view();

    /** A tracked event of the profile, from {@code kairos.events.resolved}. */
    record ObservedEvent(String messageId, String type, String name, String channel, Instant timestamp,
                         Map<String, Object> properties, Map<String, Object> context) implements TriggerCause {

        public String causeId() {
            return messageId;
        }

        public Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("messageId", messageId);
            view.put("type", type);
            view.put("name", name);
            view.put("channel", channel);
            view.put("timestamp", timestamp.toString());
            view.put("properties", properties);
            view.put("context", context);
            return view;
        }
    }

    /** A profile entered or left a segment, from {@code kairos.segments.membership}. */
    record MembershipTransition(String changeId, String segmentId, int segmentVersion, boolean entered,
                                String reason, String causeMessageId, Instant at) implements TriggerCause {

        public String causeId() {
            return changeId;
        }

        public Map<String, Object> view() {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("segmentId", segmentId);
            properties.put("segmentVersion", segmentVersion);
            properties.put("reason", reason);
            properties.put("causeMessageId", causeMessageId);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("messageId", changeId);
            view.put("type", "segment");
            view.put("name", entered ? "Segment Entered" : "Segment Exited");
            view.put("timestamp", at.toString());
            view.put("properties", properties);
            view.put("context", Map.of());
            return view;
        }
    }
}
