package io.kairos.profile.domain;

import java.util.Locale;
import java.util.Optional;

/** The Segment Spec call types that reach the profile. */
public enum EventType {
    IDENTIFY, TRACK, PAGE, SCREEN, GROUP, ALIAS;

    public static Optional<EventType> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (EventType type : values()) {
            if (type.wireName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
