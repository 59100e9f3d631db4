package io.kairos.gateway.store;

import io.kairos.gateway.domain.SourceDefinition;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayList;
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
     * Gives the source a new key. The old one keeps working until {@code previousKeyExpiresAt}
     * (now: at once); a key from an earlier rotation is dropped. Null when there is no such
     * source; a revoked source stays revoked and is answered unchanged. The row is locked, so
     * that of two concurrent rotations each knows exactly which keys it ended.
     */
    @WithTransaction
    public Uni<Rotation> rotate(String workspace, String id, String newWriteKeyHash, Instant previousKeyExpiresAt,
                                Instant now) {
        return find("workspace = ?1 and id = ?2", workspace, id).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult().map(source -> {
                    if (source == null || source.revokedAt != null) {
                        return new Rotation(source, List.of());
                    }
                    List<String> replaced = new ArrayList<>();
                    replaced.add(source.writeKeyHash);
                    if (source.previousWriteKeyHash != null) {
                        replaced.add(source.previousWriteKeyHash);
                    }
                    boolean grace = previousKeyExpiresAt.isAfter(now);
                    source.previousWriteKeyHash = grace ? source.writeKeyHash : null;
                    source.previousKeyExpiresAt = grace ? previousKeyExpiresAt : null;
                    source.writeKeyHash = newWriteKeyHash;
                    source.rotatedAt = now;
                    return new Rotation(source, replaced);
                });
    }

    /**
     * The source after a rotation (null: none), and the hashes of the keys it replaced: ended, or
     * now living only until the grace period ends. Cached grants of them are out of date.
     */
    public record Rotation(SourceEntity source, List<String> replacedKeyHashes) {
    }

    /**
     * The one query not scoped by a workspace: a write key is what tells the workspace of an
     * ingestion request. Revoked sources are not found; a previous key only within its grace period.
     */
    @WithSession
    public Uni<SourceEntity> findActiveByWriteKeyHash(String writeKeyHash, Instant now) {
        return find("revokedAt is null and (writeKeyHash = ?1 or (previousWriteKeyHash = ?1 and previousKeyExpiresAt > ?2))",
                writeKeyHash, now).firstResult();
    }
}
