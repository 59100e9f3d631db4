package io.kairos.trigger.domain;

import java.util.List;

/** What starts a trigger: a tracked event (with property filters) or a segment transition. */
public sealed interface Entry {

    /** The kind of entry, as stored for lookup ("event", "segmentEntered", "segmentExited"). */
    String kind();

    /** The event name or segment id the entry listens to. */
    String key();

    record OnEvent(String event, List<PropertyFilter> where) implements Entry {
        public OnEvent {
            where = List.copyOf(where);
        }

        public String kind() {
            return EVENT;
        }

        public String key() {
            return event;
        }
    }

    record OnSegmentEntered(String segmentId) implements Entry {
        public String kind() {
            return SEGMENT_ENTERED;
        }

        public String key() {
            return segmentId;
        }
    }

    record OnSegmentExited(String segmentId) implements Entry {
        public String kind() {
            return SEGMENT_EXITED;
        }

        public String key() {
            return segmentId;
        }
    }

    String EVENT = "event";
    String SEGMENT_ENTERED = "segmentEntered";
    String SEGMENT_EXITED = "segmentExited";
}
