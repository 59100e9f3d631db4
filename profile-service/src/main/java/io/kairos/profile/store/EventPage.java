package io.kairos.profile.store;

import io.kairos.profile.domain.ObservedEvent;
import java.util.List;
import java.util.Optional;

/** A page of history, newest first, and where the next page starts if there is one. */
public record EventPage(List<ObservedEvent> events, Optional<EventCursor> next) {
}
