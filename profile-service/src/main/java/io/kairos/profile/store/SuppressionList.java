package io.kairos.profile.store;

import io.kairos.profile.domain.Identifier;
import io.kairos.profile.domain.SuppressionDigest;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The identifiers of erased people whose later events are dropped, as workspace-scoped digests. */
@ApplicationScoped
public class SuppressionList implements PanacheRepositoryBase<SuppressedIdentifierEntity, SuppressedIdentifierEntity.Key> {

    public Uni<Void> suppress(String workspace, List<Identifier> identifiers, Instant now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Identifier identifier : identifiers) {
            String digest = SuppressionDigest.of(workspace, identifier);
            chain = chain.chain(() -> findById(new SuppressedIdentifierEntity.Key(workspace, digest)))
                    .chain(existing -> {
                        if (existing != null) {
                            return Uni.createFrom().voidItem();
                        }
                        SuppressedIdentifierEntity entry = new SuppressedIdentifierEntity();
                        entry.workspace = workspace;
                        entry.digest = digest;
                        entry.suppressedAt = now;
                        return persist(entry).replaceWithVoid();
                    });
        }
        return chain;
    }

    public Uni<Boolean> anySuppressed(String workspace, List<Identifier> identifiers) {
        List<String> digests = identifiers.stream().map(identifier -> SuppressionDigest.of(workspace, identifier)).toList();
        return count("workspace = ?1 and digest in ?2", workspace, digests).map(found -> found > 0);
    }
}
