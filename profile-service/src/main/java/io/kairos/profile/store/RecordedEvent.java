package io.kairos.profile.store;

import io.kairos.profile.domain.ObservedEvent;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An event as recorded on its profile: the profile's traits after it, the traits it changed, and
 * the profiles it merged into this one (sorted; empty when none). A duplicate is the earlier
 * recording of the same messageId, replayed so that a redelivery can still be announced; it
 * changed nothing this time.
 */
public record RecordedEvent(UUID profileId, ObservedEvent event, Map<String, Object> traits,
        Map<String, Object> changedTraits, List<UUID> mergedIds, boolean duplicate) {

    public RecordedEvent {
        mergedIds = List.copyOf(mergedIds);
    }
}
