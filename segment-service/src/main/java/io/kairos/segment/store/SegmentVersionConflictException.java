package io.kairos.segment.store;

/** An update was made against a version of the segment that is no longer the current one. */
public final class SegmentVersionConflictException extends RuntimeException {

    public SegmentVersionConflictException(int expectedVersion, int currentVersion) {
        super("the segment is at version " + currentVersion + ", not " + expectedVersion
                + "; read it again and re-apply the change");
    }
}
