package io.kairos.profile.store;

import java.util.UUID;

/** A request named a profile the workspace does not have (nor ever merged away); nothing was changed. */
public class UnknownProfileException extends RuntimeException {

    private final UUID profileId;

    public UnknownProfileException(UUID profileId) {
        super("no profile " + profileId + " in this workspace");
        this.profileId = profileId;
    }

    public UUID profileId() {
        return profileId;
    }
}
