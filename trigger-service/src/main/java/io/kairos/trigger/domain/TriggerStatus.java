package io.kairos.trigger.domain;

/** Whether a trigger fires: a paused one is kept, with its delivery log, but acts on nothing. */
public enum TriggerStatus {
    ACTIVE("active"), PAUSED("paused");

    private final String wireName;

    TriggerStatus(String wireName) {
        this.wireName = wireName;
    }

    /** As stored and as the API spells it. */
    public String wireName() {
        return wireName;
    }
}
