package io.kairos.profile.store;

/** A manual merge that would break the workspace's identity limits; nothing was changed. */
public class MergeRefusedException extends RuntimeException {

    public MergeRefusedException(String message) {
        super(message);
    }
}
