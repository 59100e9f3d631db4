package io.kairos.profile.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class ProfileRepository implements PanacheRepositoryBase<ProfileEntity, UUID> {

    /** The profile, or null when it does not exist in this workspace. */
    public Uni<ProfileEntity> findInWorkspace(String workspace, UUID profileId) {
        return find("workspace = ?1 and id = ?2", workspace, profileId).firstResult();
    }
}
