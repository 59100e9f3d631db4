package io.kairos.gateway.store;

import io.kairos.gateway.domain.SourceDefinition;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SourceRepository implements PanacheRepositoryBase<SourceEntity, String> {

    @WithTransaction
    public Uni<SourceEntity> create(String workspace, SourceDefinition definition, String writeKeyHash, Instant now) {
        SourceEntity source = new SourceEntity();
        source.id = UUID.randomUUID().toString();
        source.workspace = workspace;
        source.name = definition.name();
        source.channel = definition.channel().wireName();
        source.writeKeyHash = writeKeyHash;
        source.createdAt = now;
        return persist(source);
    }

    @WithSession
    public Uni<List<SourceEntity>> list(String workspace) {
        return list("workspace", Sort.by("createdAt").and("id"), workspace);
    }

    @WithSession
    public Uni<SourceEntity> byId(String workspace, String id) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult();
    }

    /** Marks the source revoked; null when the workspace has no such source. */
    @WithTransaction
    public Uni<SourceEntity> revoke(String workspace, String id, Instant now) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult().invoke(source -> {
            if (source != null && source.revokedAt == null) {
                source.revokedAt = now;
            }
        });
    }

    /**
     * The one query not scoped by a workspace: a write key is what tells the workspace of an
     * ingestion request. Revoked sources are not found.
     */
    @WithSession
    public Uni<SourceEntity> findActiveByWriteKeyHash(String writeKeyHash) {
        return find("writeKeyHash = ?1 and revokedAt is null", writeKeyHash).firstResult();
    }
}
