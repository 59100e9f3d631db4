package io.kairos.trigger.store;

/** An edit made against a version of the trigger that is no longer the current one. */
public final class TriggerVersionConflict extends RuntimeException {

    public TriggerVersionConflict(int expected, int current) {
        super("the trigger is at version " + current + ", not " + expected + "; read it again and redo the change");
    }
}
