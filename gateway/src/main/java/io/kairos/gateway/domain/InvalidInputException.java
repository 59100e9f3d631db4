package io.kairos.gateway.domain;

/**
 * Input that Kairos refuses, with a machine-readable reason (UPPER_SNAKE) and, when one
 * field is at fault, a JSON pointer to it. Nothing is stored or produced for such input.
 */
public final class InvalidInputException extends RuntimeException {

    private final String reason;
    private final String field;

    public InvalidInputException(String reason, String field, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    public String reason() {
        return reason;
    }

    /** JSON pointer to the offending field, or null when the input as a whole is at fault. */
    public String field() {
        return field;
    }
}
