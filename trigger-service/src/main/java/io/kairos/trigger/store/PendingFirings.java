package io.kairos.trigger.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.Firing;
import io.kairos.trigger.domain.PendingFiring;
import io.kairos.trigger.domain.TriggerCause;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Waiting firings in PostgreSQL, the timers' source of truth. A due firing is claimed with a lease
 * ({@code claimed_until}) under FOR UPDATE SKIP LOCKED, so instances share the due ones without
 * taking the same one twice, and a claimer that dies leaves its rows to be claimed again when the
 * lease ends.
 */
@ApplicationScoped
public class PendingFirings {

    private static final String COLUMNS = "firing_id, wait_key, workspace, trigger_id, profile_id, channel, cause_json::text as cause,"
            + " traits_json::text as traits, entered_at, due_at, unless_event, unless_until, reason, claimed_until, audience_segment";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private static final Logger LOG = Logger.getLogger(PendingFirings.class);

    private final Pool pool;
    private final ObjectMapper json;

    public PendingFirings(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** A claimed due firing and the lease that lets its claimer release it. */
    public record Claimed(PendingFiring pending, Instant lease) {
    }

    /**
     * Starts a wait. A redelivered entry changes nothing; with a wait that restarts on each entry, a
     * newer entry replaces the waiting one and starts its wait again.
     */
    public Uni<Void> hold(PendingFiring pending) {
        return pool.preparedQuery("insert into pending_firing (firing_id, wait_key, workspace, trigger_id, profile_id, channel,"
                        + " cause_json, traits_json, entered_at, due_at, unless_event, unless_until, reason, audience_segment)"
                        + " values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb, $9, $10, $11, $12, $13, $14)"
                        + " on conflict (wait_key) do update set firing_id = excluded.firing_id, cause_json = excluded.cause_json,"
                        + " traits_json = excluded.traits_json, entered_at = excluded.entered_at, due_at = excluded.due_at,"
                        + " unless_until = excluded.unless_until, claimed_until = null"
                        + " where pending_firing.firing_id <> excluded.firing_id")
                .execute(row(pending))
                .replaceWithVoid();
    }

    /**
     * Holds the firing back until {@code pending.dueAt()}: the waiting row of that firing moves there
     * (its unless window has passed), or a firing that did not wait starts waiting.
     */
    public Uni<Void> defer(PendingFiring pending) {
        return pool.preparedQuery("insert into pending_firing (firing_id, wait_key, workspace, trigger_id, profile_id, channel,"
                        + " cause_json, traits_json, entered_at, due_at, unless_event, unless_until, reason, audience_segment)"
                        + " values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb, $9, $10, $11, $12, $13, $14)"
                        + " on conflict (firing_id) do update set due_at = excluded.due_at, reason = excluded.reason,"
                        + " unless_event = null, unless_until = null, claimed_until = null")
                .execute(row(pending))
                .replaceWithVoid();
    }

    /** The profile's waits that {@code event} might cancel. */
    public Uni<List<PendingFiring>> cancellableBy(String workspace, String profileId, String event) {
        return pool.preparedQuery("select " + COLUMNS + " from pending_firing"
                        + " where workspace = $1 and profile_id = $2 and unless_event = $3")
                .execute(Tuple.of(workspace, profileId, event))
                .map(rows -> pendings(rows).stream().map(Claimed::pending).toList());
    }

    /** The profile's waits that leaving {@code segment} cancels. */
    public Uni<List<PendingFiring>> cancellableByLeaving(String workspace, String profileId, String segment) {
        return pool.preparedQuery("select " + COLUMNS + " from pending_firing"
                        + " where workspace = $1 and profile_id = $2 and audience_segment = $3")
                .execute(Tuple.of(workspace, profileId, segment))
                .map(rows -> pendings(rows).stream().map(Claimed::pending).toList());
    }

    /** Cancels the waits of these firings that no live claimer holds. @return the ids it cancelled */
    public Uni<List<UUID>> cancel(List<UUID> firingIds, Instant now) {
        return pool.preparedQuery("delete from pending_firing where firing_id = any($1)"
                        + " and (claimed_until is null or claimed_until < $2) returning firing_id")
                .execute(Tuple.of(firingIds.toArray(UUID[]::new), utc(now)))
                .map(rows -> {
                    List<UUID> cancelled = new ArrayList<>();
                    rows.forEach(row -> cancelled.add(row.getUUID(0)));
                    return cancelled;
                });
    }

    /**
     * Claims up to {@code limit} firings due at {@code now}, earliest first, until {@code leaseUntil};
     * a row another claimer holds, or whose lease is still running, is left to it.
     */
    public Uni<List<Claimed>> claimDue(Instant now, int limit, Instant leaseUntil) {
        return pool.preparedQuery("""
                        with due as (
                            select firing_id from pending_firing
                            where due_at <= $1 and (claimed_until is null or claimed_until < $1)
                            order by due_at limit $2
                            for update skip locked)
                        update pending_firing p set claimed_until = $3 from due where p.firing_id = due.firing_id
                        returning p.firing_id, p.wait_key, p.workspace, p.trigger_id, p.profile_id, p.channel,
                                  p.cause_json::text as cause, p.traits_json::text as traits, p.entered_at, p.due_at,
                                  p.unless_event, p.unless_until, p.reason, p.claimed_until, p.audience_segment""")
                .execute(Tuple.of(utc(now), limit, utc(leaseUntil)))
                .chain(rows -> {
                    List<UUID> broken = new ArrayList<>();
                    List<Claimed> claimed = pendings(rows, broken);
                    if (broken.isEmpty()) {
                        return Uni.createFrom().item(claimed);
                    }
                    // A row that cannot be read would be claimed again and again: it is dropped, loudly.
                    LOG.errorf("dropped %d waiting firings that cannot be read, e.g. %s", broken.size(),
                            broken.subList(0, Math.min(5, broken.size())));
                    return pool.preparedQuery("delete from pending_firing where firing_id = any($1)")
                            .execute(Tuple.of(broken.toArray(UUID[]::new)))
                            .replaceWith(claimed);
                });
    }

    /** The claimed firings are done: their rows go, except those deferred or replaced meanwhile. */
    public Uni<Void> release(List<Claimed> done) {
        if (done.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("""
                        delete from pending_firing p using unnest($1::uuid[], $2::timestamptz[]) as d(firing_id, lease)
                        where p.firing_id = d.firing_id and p.claimed_until = d.lease""")
                .execute(Tuple.of(done.stream().map(c -> c.pending().firing().firingId()).toArray(UUID[]::new),
                        done.stream().map(c -> utc(c.lease())).toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    private Tuple row(PendingFiring pending) {
        Firing firing = pending.firing();
        return Tuple.from(new Object[]{firing.firingId(), pending.waitKey(), firing.workspace(), firing.triggerId(),
                firing.profileId(), pending.channel().wireName(), write(causeJson(firing.cause())), write(pending.traits()),
                utc(firing.firedAt()), utc(pending.dueAt()), pending.unlessEvent().orElse(null),
                pending.unlessUntil().map(PendingFirings::utc).orElse(null), pending.reason().wireName(),
                pending.cancelledByLeaving().orElse(null)});
    }

    private List<Claimed> pendings(RowSet<Row> rows) {
        List<UUID> broken = new ArrayList<>();
        List<Claimed> pendings = pendings(rows, broken);
        if (!broken.isEmpty()) {
            throw new IllegalStateException("waiting firings that cannot be read: " + broken);
        }
        return pendings;
    }

    /** The rows that can be read; the ids of those that cannot go to {@code broken}. */
    private List<Claimed> pendings(RowSet<Row> rows, List<UUID> broken) {
        List<Claimed> pendings = new ArrayList<>();
        for (Row row : rows) {
            try {
                pendings.add(pending(row));
            } catch (RuntimeException unreadable) {
                broken.add(row.getUUID("firing_id"));
            }
        }
        return pendings;
    }

    private Claimed pending(Row row) {
        Firing firing = new Firing(row.getUUID("firing_id"), row.getUUID("trigger_id"), row.getString("workspace"),
                row.getString("profile_id"), cause(read(row.getString("cause"))), instant(row, "entered_at"));
        PendingFiring pending = new PendingFiring(firing,
                Channel.fromWireName(row.getString("channel")).orElseThrow(), row.getString("wait_key"),
                read(row.getString("traits")), instant(row, "due_at"), Optional.ofNullable(row.getString("unless_event")),
                Optional.ofNullable(instant(row, "unless_until")), PendingFiring.Reason.fromWireName(row.getString("reason")),
                Optional.ofNullable(row.getString("audience_segment")));
        return new Claimed(pending, instant(row, "claimed_until"));
    }

    /** The cause as stored: what a template and the webhook see when the firing goes out later. */
    private static Map<String, Object> causeJson(TriggerCause cause) {
        Map<String, Object> stored = new LinkedHashMap<>();
        switch (cause) {
            case TriggerCause.ObservedEvent event -> {
                stored.put("kind", "event");
                stored.put("messageId", event.messageId());
                stored.put("type", event.type());
                stored.put("name", event.name());
                stored.put("channel", event.channel());
                stored.put("timestamp", event.timestamp().toString());
                stored.put("properties", event.properties());
                stored.put("context", event.context());
            }
            case TriggerCause.MembershipTransition transition -> {
                stored.put("kind", "membership");
                stored.put("changeId", transition.changeId());
                stored.put("segmentId", transition.segmentId());
                stored.put("segmentVersion", transition.segmentVersion());
                stored.put("entered", transition.entered());
                stored.put("reason", transition.reason());
                stored.put("causeMessageId", transition.causeMessageId());
                stored.put("at", transition.at().toString());
            }
        }
        return stored;
    }

    @SuppressWarnings("unchecked")
    private static TriggerCause cause(Map<String, Object> stored) {
        if ("membership".equals(stored.get("kind"))) {
            return new TriggerCause.MembershipTransition((String) stored.get("changeId"), (String) stored.get("segmentId"),
                    ((Number) stored.get("segmentVersion")).intValue(), (Boolean) stored.get("entered"),
                    (String) stored.get("reason"), (String) stored.get("causeMessageId"), Instant.parse((String) stored.get("at")));
        }
        return new TriggerCause.ObservedEvent((String) stored.get("messageId"), (String) stored.get("type"),
                (String) stored.get("name"), (String) stored.get("channel"), Instant.parse((String) stored.get("timestamp")),
                (Map<String, Object>) stored.get("properties"), (Map<String, Object>) stored.get("context"));
    }

    private String write(Map<String, Object> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored pending firing is not JSON: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
