package io.kairos.trigger.store;

import io.kairos.trigger.domain.DeliveryCursor;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.DeliveryOutcome;
import io.kairos.trigger.domain.DeliveryRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What became of every firing, keyed by the deterministic firing id. */
@ApplicationScoped
public class DeliveryLog implements PanacheRepositoryBase<DeliveryEntity, UUID> {

    private final Pool pool;
    private final Clock clock;

    public DeliveryLog(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** Erasure: the profile's deliveries leave the log, and its waiting firings are cancelled. @return how many deliveries */
    public Uni<Integer> erase(String workspace, String profileId) {
        return pool.withTransaction(conn -> conn.preparedQuery("delete from pending_firing where workspace = $1 and profile_id = $2")
                .execute(Tuple.of(workspace, profileId))
                .chain(() -> conn.preparedQuery("delete from delivery where workspace = $1 and profile_id = $2")
                        .execute(Tuple.of(workspace, profileId)))
                .map(deleted -> deleted.rowCount()));
    }

    /**
     * A merge: the merged profiles' deliveries and waiting firings become the survivor's, so its log,
     * re-entry and waits go on as one person's. Of the waits that restart on each entry, one per
     * trigger stays: the survivor's own, else the latest entered.
     */
    public Uni<Void> merge(String workspace, String survivorId, List<String> mergedIds) {
        String[] merged = mergedIds.toArray(String[]::new);
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        delete from pending_firing p using (
                            select firing_id, row_number() over (partition by trigger_id
                                                                 order by (profile_id = $2) desc, entered_at desc) as rank
                            from pending_firing
                            where workspace = $1 and (profile_id = $2 or profile_id = any($3))
                              and wait_key = trigger_id::text || '/' || profile_id) ranked
                        where p.firing_id = ranked.firing_id and ranked.rank > 1""")
                .execute(Tuple.of(workspace, survivorId, merged))
                .chain(() -> conn.preparedQuery("""
                                update pending_firing set profile_id = $2,
                                    wait_key = case when wait_key = trigger_id::text || '/' || profile_id
                                                    then trigger_id::text || '/' || $2 else wait_key end
                                where workspace = $1 and profile_id = any($3)""")
                        .execute(Tuple.of(workspace, survivorId, merged)))
                .chain(() -> conn.preparedQuery("update delivery set profile_id = $2 where workspace = $1 and profile_id = any($3)")
                        .execute(Tuple.of(workspace, survivorId, merged)))
                .replaceWithVoid());
    }

    /** The profile's deliveries as a JSON object, for a data subject's export. */
    public Uni<String> export(String workspace, String profileId) {
        return pool.preparedQuery("""
                        select jsonb_build_object('deliveries', coalesce(jsonb_agg(jsonb_build_object(
                                'firingId', d.firing_id, 'triggerId', d.trigger_id, 'trigger', t.name, 'channel', d.channel,
                                'outcome', d.outcome, 'reason', d.reason, 'firedAt', d.fired_at) order by d.fired_at, d.firing_id),
                            '[]'::jsonb),
                            'waiting', (select coalesce(jsonb_agg(jsonb_build_object('firingId', p.firing_id,
                                    'triggerId', p.trigger_id, 'channel', p.channel, 'enteredAt', p.entered_at,
                                    'dueAt', p.due_at, 'reason', p.reason, 'cause', p.cause_json) order by p.due_at), '[]'::jsonb)
                                from pending_firing p where p.workspace = $1 and p.profile_id = $2))::text as export
                        from delivery d left join trigger_definition t on t.id = d.trigger_id
                        where d.workspace = $1 and d.profile_id = $2""")
                .execute(Tuple.of(workspace, profileId))
                .map(rows -> rows.iterator().next().getString("export"));
    }

    /**
     * Whether the trigger went out to the profile (sent, or deferred to go out) since {@code since},
     * or, with {@code countingWaits}, has a firing waiting for it: what re-entry policies keep out.
     */
    public Uni<Boolean> entered(String workspace, UUID triggerId, String profileId, Instant since, boolean countingWaits) {
        return pool.preparedQuery("""
                        select exists(select 1 from delivery where workspace = $1 and trigger_id = $2 and profile_id = $3
                                        and outcome in ('sent', 'deferred') and fired_at >= $4)
                            or ($5 and exists(select 1 from pending_firing where workspace = $1 and profile_id = $3
                                                and trigger_id = $2))""")
                .execute(Tuple.of(workspace, triggerId, profileId, utc(since), countingWaits))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * How many messages went out to the profile since {@code since}: from {@code trigger} when given,
     * on {@code channel} and of {@code purpose} when given. What frequency caps count.
     */
    public Uni<Long> sentSince(String workspace, String profileId, Instant since, Optional<UUID> trigger,
                               Optional<Channel> channel, Optional<String> purpose) {
        return pool.preparedQuery("""
                        select count(*) from delivery
                        where workspace = $1 and profile_id = $2 and outcome = 'sent' and fired_at >= $3
                          and ($4::uuid is null or trigger_id = $4) and ($5::text is null or channel = $5)
                          and ($6::text is null or purpose = $6)""")
                .execute(Tuple.from(new Object[]{workspace, profileId, utc(since), trigger.orElse(null),
                        channel.map(Channel::wireName).orElse(null), purpose.orElse(null)}))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Those of these firings whose outcome is final (sent or skipped). */
    public Uni<Set<UUID>> wentOut(List<UUID> firingIds) {
        return pool.preparedQuery("select firing_id from delivery where firing_id = any($1) and outcome in ('sent', 'skipped')")
                .execute(Tuple.of(firingIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Set<UUID> done = new HashSet<>();
                    rows.forEach(row -> done.add(row.getUUID(0)));
                    return done;
                });
    }

    /** The recorded outcome of a firing, or null when it was never recorded. */
    public Uni<DeliveryOutcome> outcomeOf(UUID firingId) {
        return pool.preparedQuery("select outcome from delivery where firing_id = $1")
                .execute(Tuple.of(firingId))
                .map(rows -> rows.iterator().hasNext()
                        ? DeliveryOutcome.fromWireName(rows.iterator().next().getString("outcome"))
                        : null);
    }

    /**
     * Records an outcome. A final outcome (sent, skipped) is never overwritten: if a concurrent
     * delivery of the same firing got there first, this write is dropped. A failed one may be
     * replaced by a later try, whose attempts add up, and a deferred one by what became of it.
     */
    public Uni<Void> record(DeliveryRecord delivery) {
        return pool.preparedQuery("""
                        insert into delivery (firing_id, workspace, trigger_id, profile_id, channel, cause_id, outcome,
                                              reason, attempts, response_status, fired_at, recorded_at, purpose)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                        on conflict (firing_id) do update set
                            outcome = excluded.outcome, reason = excluded.reason, purpose = excluded.purpose,
                            fired_at = excluded.fired_at,
                            attempts = delivery.attempts + excluded.attempts,
                            response_status = excluded.response_status, recorded_at = excluded.recorded_at
                        where delivery.outcome in ('failed', 'deferred')""")
                .execute(Tuple.tuple()
                        .addUUID(delivery.firingId())
                        .addString(delivery.workspace())
                        .addUUID(delivery.triggerId())
                        .addString(delivery.profileId())
                        .addString(delivery.channel().wireName())
                        .addString(delivery.causeId())
                        .addString(delivery.outcome().wireName())
                        .addString(delivery.reason())
                        .addInteger(delivery.attempts())
                        .addInteger(delivery.responseStatus())
                        .addOffsetDateTime(utc(delivery.firedAt()))
                        .addOffsetDateTime(utc(clock.instant()))
                        .addString(delivery.purpose()))
                .replaceWithVoid();
    }

    /**
     * One page of deliveries, newest first: a trigger's, optionally for one profile, or (triggerId
     * null) one profile's of every trigger. Fetches {@code limit} rows after {@code after} (null: from
     * the newest).
     */
    @WithSession
    public Uni<List<DeliveryEntity>> page(String workspace, UUID triggerId, String profileId, DeliveryCursor after,
                                          int limit) {
        StringBuilder query = new StringBuilder("workspace = :workspace");
        Parameters parameters = Parameters.with("workspace", workspace);
        if (triggerId != null) {
            query.append(" and triggerId = :triggerId");
            parameters.and("triggerId", triggerId);
        }
        if (profileId != null) {
            query.append(" and profileId = :profileId");
            parameters.and("profileId", profileId);
        }
        if (after != null) {
            query.append(" and (firedAt < :firedAt or (firedAt = :firedAt and firingId < :firingId))");
            parameters.and("firedAt", after.firedAt()).and("firingId", after.firingId());
        }
        query.append(" order by firedAt desc, firingId desc");
        return find(query.toString(), parameters).range(0, limit - 1).list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
