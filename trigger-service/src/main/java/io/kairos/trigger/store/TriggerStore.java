package io.kairos.trigger.store;

import io.kairos.trigger.domain.TriggerStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Collection;
import java.util.UUID;
import java.util.function.Function;

/** Trigger definitions of every workspace; every query is scoped by workspace. */
@ApplicationScoped
public class TriggerStore implements PanacheRepositoryBase<TriggerEntity, UUID> {

    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;

    public TriggerStore(Pool pool) {
        this.pool = pool;
    }

    /** @throws TriggerNameTaken (as the Uni's failure) when a live trigger of the workspace has the name */
    @WithTransaction
    public Uni<TriggerEntity> create(TriggerEntity trigger) {
        return count("workspace = ?1 and name = ?2 and deletedAt is null", trigger.workspace, trigger.name)
                .flatMap(taken -> taken > 0
                        ? Uni.createFrom().failure(new TriggerNameTaken(trigger.name))
                        : persistAndFlush(trigger))
                // Two concurrent creates both pass the check; the partial unique index decides.
                .onFailure(TriggerStore::uniqueViolation).transform(e -> new TriggerNameTaken(trigger.name));
    }

    @WithSession
    public Uni<TriggerEntity> findLive(String workspace, UUID id) {
        return find("workspace = ?1 and id = ?2 and deletedAt is null", workspace, id).firstResult();
    }

    @WithSession
    public Uni<List<TriggerEntity>> listLive(String workspace) {
        return list("workspace = ?1 and deletedAt is null order by createdAt, id", workspace);
    }

    /** Did the trigger ever exist in the workspace? Deleted triggers keep their delivery log. */
    @WithSession
    public Uni<Boolean> existedIn(String workspace, UUID id) {
        return count("workspace = ?1 and id = ?2", workspace, id).map(n -> n > 0);
    }

    /**
     * Replaces a live trigger's definition and bumps its version. The row is locked first, so
     * concurrent edits are serialised and the version check holds. {@code revise} makes the new
     * revision from the current row; whatever it throws fails the update, which then changes nothing.
     *
     * @param expectedVersion the version the edit was made against; 0 for whatever is current
     * @return the updated trigger, or null when the workspace has no live trigger with the id
     * @throws TriggerVersionConflict (as the Uni's failure) when expectedVersion is not the current one
     * @throws TriggerNameTaken (as the Uni's failure) when another live trigger of the workspace has the new name
     */
    @WithTransaction
    public Uni<TriggerEntity> update(String workspace, UUID id, int expectedVersion, Instant at,
                                     Function<TriggerEntity, TriggerRevision> revise) {
        return lockLive(workspace, id).flatMap(trigger -> {
            if (trigger == null) {
                return Uni.createFrom().nullItem();
            }
            if (expectedVersion != 0 && trigger.version != expectedVersion) {
                return Uni.createFrom().failure(new TriggerVersionConflict(expectedVersion, trigger.version));
            }
            TriggerRevision revision = revise.apply(trigger);
            return count("workspace = ?1 and name = ?2 and deletedAt is null and id <> ?3", workspace, revision.name(),
                    id).flatMap(taken -> {
                if (taken > 0) {
                    return Uni.createFrom().failure(new TriggerNameTaken(revision.name()));
                }
                trigger.name = revision.name();
                trigger.definitionJson = revision.definitionJson();
                trigger.entryKind = revision.entryKind();
                trigger.entryKey = revision.entryKey();
                trigger.version++;
                trigger.updatedAt = at;
                // Flushed here, not at commit, so that a name taken concurrently is reported as such.
                return flush().onFailure(TriggerStore::uniqueViolation)
                        .transform(e -> new TriggerNameTaken(revision.name()))
                        .replaceWith(trigger);
            });
        });
    }

    /**
     * Pauses or resumes a live trigger; setting the status it already has changes nothing (not even updatedAt).
     *
     * @return the trigger, or null when the workspace has no live trigger with the id
     */
    @WithTransaction
    public Uni<TriggerEntity> setStatus(String workspace, UUID id, TriggerStatus status, Instant at) {
        return lockLive(workspace, id).invoke(trigger -> {
            if (trigger != null && !status.wireName().equals(trigger.status)) {
                trigger.status = status.wireName();
                trigger.updatedAt = at;
            }
        });
    }

    /** @return whether a live trigger was deleted */
    @WithTransaction
    public Uni<Boolean> delete(String workspace, UUID id, Instant at) {
        return update("deletedAt = ?1 where workspace = ?2 and id = ?3 and deletedAt is null", at, workspace, id)
                .map(rows -> rows > 0);
    }

    /**
     * The event path: live and active (not paused) triggers of the workspace listening to this entry
     * (event name or segment id).
     */
    public Uni<List<StoredTrigger>> activeFor(String workspace, String entryKind, String entryKey) {
        return pool.preparedQuery("""
                        select id, version, definition_json from trigger_definition
                        where workspace = $1 and entry_kind = $2 and entry_key = $3 and deleted_at is null
                          and status = 'active'
                        order by created_at, id""")
                .execute(Tuple.of(workspace, entryKind, entryKey))
                .map(rows -> {
                    List<StoredTrigger> triggers = new ArrayList<>();
                    for (Row row : rows) {
                        triggers.add(new StoredTrigger(row.getUUID("id"), row.getInteger("version"),
                                row.getString("definition_json")));
                    }
                    return triggers;
                });
    }

    /** The triggers a batch of due firings belongs to, as they are now: live or not, active or paused. */
    public Uni<Map<UUID, TriggerState>> states(Collection<UUID> ids) {
        return pool.preparedQuery("""
                        select id, version, definition_json, status, deleted_at is not null as deleted
                        from trigger_definition where id = any($1)""")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, TriggerState> states = new HashMap<>();
                    for (Row row : rows) {
                        states.put(row.getUUID("id"), new TriggerState(new StoredTrigger(row.getUUID("id"),
                                row.getInteger("version"), row.getString("definition_json")),
                                row.getBoolean("deleted") ? TriggerState.Life.DELETED
                                        : "paused".equals(row.getString("status")) ? TriggerState.Life.PAUSED : TriggerState.Life.ACTIVE));
                    }
                    return states;
                });
    }

    /** A trigger and whether it may fire now. */
    public record TriggerState(StoredTrigger trigger, Life life) {
        public enum Life { ACTIVE, PAUSED, DELETED }
    }

    private Uni<TriggerEntity> lockLive(String workspace, UUID id) {
        return find("workspace = ?1 and id = ?2 and deletedAt is null", workspace, id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    private static boolean uniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
