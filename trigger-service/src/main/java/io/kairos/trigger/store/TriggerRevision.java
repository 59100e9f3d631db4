package io.kairos.trigger.store;

/** A validated definition as it is stored, with the name and entry it is looked up by. */
public record TriggerRevision(String name, String definitionJson, String entryKind, String entryKey) {
}
