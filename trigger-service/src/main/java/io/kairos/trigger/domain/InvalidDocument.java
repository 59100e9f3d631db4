package io.kairos.trigger.domain;

/**
 * A trigger definition was rejected. {@code reason} is the machine-readable UPPER_SNAKE code,
 * {@code pointer} the JSON pointer (RFC 6901) of the offending part of the definition.
 */
public final class InvalidDocument extends RuntimeException {

    private final String reason;
    private final String pointer;

    public InvalidDocument(String reason, String pointer, String message) {
        super(message);
        this.reason = reason;
        this.pointer = pointer;
    }

    public String reason() {
        return reason;
    }

    public String pointer() {
        return pointer;
    }
}
