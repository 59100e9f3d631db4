package io.kairos.gateway.domain;

import java.util.Locale;
import java.util.Optional;

/** The Segment Spec calls. */
public enum MessageType {
    IDENTIFY, TRACK, PAGE, SCREEN, GROUP, ALIAS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MessageType> fromWireName(String name) {
        for (MessageType type : values()) {
            if (type.wireName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
