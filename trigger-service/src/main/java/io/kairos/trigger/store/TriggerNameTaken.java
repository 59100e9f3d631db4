package io.kairos.trigger.store;

/** A live trigger of the workspace already has this name. */
public final class TriggerNameTaken extends RuntimeException {

    public TriggerNameTaken(String name) {
        super("a trigger named \"" + name + "\" already exists in this workspace");
    }
}
