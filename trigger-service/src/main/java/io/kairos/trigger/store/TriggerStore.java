package io.kairos.trigger.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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

    /** @return whether a live trigger was deleted */
    @WithTransaction
    public Uni<Boolean> delete(String workspace, UUID id, Instant at) {
        return update("deletedAt = ?1 where workspace = ?2 and id = ?3 and deletedAt is null", at, workspace, id)
                .map(rows -> rows > 0);
    }

    /** The event path: live triggers of the workspace listening to this entry (event name or segment id). */
    public Uni<List<StoredTrigger>> liveFor(String workspace, String entryKind, String entryKey) {
        return pool.preparedQuery("""
                        select id, version, definition_json from trigger_definition
                        where workspace = $1 and entry_kind = $2 and entry_key = $3 and deleted_at is null
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

    private static boolean uniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
