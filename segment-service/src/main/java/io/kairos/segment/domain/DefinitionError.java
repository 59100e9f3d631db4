package io.kairos.segment.domain;

import java.util.Objects;

/**
 * Why a segment definition was rejected: a machine-readable reason, the JSON pointer of the
 * field at fault inside the definition document ("" for the document itself) and a message.
 */
public record DefinitionError(Reason reason, String pointer, String message) {

    public DefinitionError {
        Objects.requireNonNull(reason);
        Objects.requireNonNull(pointer);
        Objects.requireNonNull(message);
    }

    public enum Reason {
        INVALID_JSON,
        MISSING_FIELD,
        UNKNOWN_FIELD,
        UNKNOWN_CONDITION,
        AMBIGUOUS_CONDITION,
        MISSING_OPERATOR,
        UNKNOWN_OPERATOR,
        MULTIPLE_OPERATORS,
        UNKNOWN_SYSTEM_TRAIT,
        INVALID_VALUE_TYPE,
        INVALID_VALUE,
        INVALID_DURATION,
        EMPTY_GROUP,
        /** Valid in the DSL of DESIGN.md but not evaluated yet; rejected rather than ignored. */
        UNSUPPORTED_CONDITION
    }
}
