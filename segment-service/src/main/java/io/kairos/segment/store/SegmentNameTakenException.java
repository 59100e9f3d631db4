package io.kairos.segment.store;

/** Another segment of the workspace already has this name. */
public final class SegmentNameTakenException extends RuntimeException {

    public SegmentNameTakenException(String name) {
        super("a segment named '" + name + "' already exists in this workspace");
    }
}
