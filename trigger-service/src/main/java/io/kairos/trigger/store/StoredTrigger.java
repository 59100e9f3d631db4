package io.kairos.trigger.store;

import java.util.UUID;

/** A live trigger as the event path needs it: identity and the definition to parse. */
public record StoredTrigger(UUID id, int version, String definitionJson) {
}
