package io.kairos.segment.domain;

/** A segment definition that cannot be accepted; carries the first error found. */
public final class InvalidDefinitionException extends RuntimeException {

    private final DefinitionError error;

    public InvalidDefinitionException(DefinitionError error) {
        super(error.reason() + " at '" + error.pointer() + "': " + error.message());
        this.error = error;
    }

    public DefinitionError error() {
        return error;
    }
}
