package io.kairos.profile.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ProfileAliasRepository implements PanacheRepositoryBase<ProfileAliasEntity, ProfileAliasEntity.Key> {

    /** The survivor a merged id now stands for, or null when the id was never merged. */
    public Uni<UUID> survivorOf(String workspace, UUID mergedId) {
        return findById(key(workspace, mergedId)).map(alias -> alias == null ? null : alias.survivorId);
    }

    /** The ids merged into the profile, oldest merge first. */
    public Uni<List<ProfileAliasEntity>> mergedInto(String workspace, UUID survivorId) {
        return list("workspace = ?1 and survivorId = ?2", Sort.by("mergedAt").and("mergedId"), workspace, survivorId);
    }

    /** The merges an event caused, to announce them again when the event is redelivered. */
    public Uni<List<ProfileAliasEntity>> causedBy(String workspace, String messageId) {
        return list("workspace = ?1 and causeMessageId = ?2", Sort.by("mergedId"), workspace, messageId);
    }

    private static ProfileAliasEntity.Key key(String workspace, UUID mergedId) {
        ProfileAliasEntity.Key key = new ProfileAliasEntity.Key();
        key.workspace = workspace;
        key.mergedId = mergedId;
        return key;
    }
}
