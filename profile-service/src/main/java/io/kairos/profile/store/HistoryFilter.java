package io.kairos.profile.store;

import java.time.Instant;
import java.util.Optional;

/** Which of a profile's events to list: by event name, from (inclusive) and to (exclusive) event time. */
public record HistoryFilter(Optional<String> event, Optional<Instant> from, Optional<Instant> to) {
}
