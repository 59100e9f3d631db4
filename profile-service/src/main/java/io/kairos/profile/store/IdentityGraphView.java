package io.kairos.profile.store;

import java.util.List;
import java.util.UUID;

/** What the identity graph holds for one profile. */
public record IdentityGraphView(String workspace, UUID profileId, List<IdentifierEntity> identifiers,
        List<ProfileAliasEntity> merged, List<DroppedIdentifierEntity> dropped) {
}
