package io.kairos.gateway.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The channel a source's events come from unless an event names its own context.channel. */
public enum SourceChannel {
    WEB, MOBILE, SERVER, EMAIL, SMS, SOCIAL, POS, SUPPORT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SourceChannel parse(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("FIELD_REQUIRED", field, "channel is required, one of " + names());
        }
        for (SourceChannel channel : values()) {
            if (channel.wireName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return channel;
            }
        }
        throw new InvalidInputException("UNKNOWN_CHANNEL", field,
                "channel must be one of " + names() + ", got '" + value + "'");
    }

    private static String names() {
        return Arrays.stream(values()).map(SourceChannel::wireName).collect(Collectors.joining(", "));
    }
}
