package io.kairos.segment.store;

import com.google.protobuf.ByteString;
import io.kairos.api.events.MembershipChange;
import io.kairos.segment.domain.EvaluatedSegment;
import io.kairos.segment.domain.MembershipReconciliation;
import io.kairos.segment.domain.MembershipTransition;
import io.kairos.segment.domain.ObservedEvent;
import io.kairos.segment.domain.ProfileActivity;
import io.kairos.segment.domain.ProfileState;
import io.kairos.segment.domain.SegmentDefinitionParser;
import io.kairos.segment.domain.SegmentDependencies;
import io.kairos.segment.domain.Value;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Real-time membership: keeps the per-profile state the evaluator needs, re-evaluates the segments an
 * activity can affect and records each resulting transition, with its outgoing
 * {@link MembershipChange}, in the same transaction (the outbox that {@code MembershipPublisher} drains).
 *
 * <p>Every path that evaluates a profile first locks its {@code profile_state} row, so the stream,
 * the evaluation of a new segment and the retirement of a segment never interleave for one profile.
 */
@ApplicationScoped
public class MembershipLedger {

    static final String CAUSE_SEGMENT_DELETED = "segment-deleted";
    /** The profile was erased (ProfileDeleted or a privacy request): its change ids are the same either way. */
    public static final String CAUSE_PROFILE_DELETED = "profile-deleted";

    /** What erasing a profile removed. */
    public record Erasure(int segmentsExited, long eventsRemoved, boolean stateRemoved) {
    }

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    /** Parsed conditions by "id:version"; a version never changes once stored. */
    private final Map<String, EvaluatedSegment> conditions = new ConcurrentHashMap<>();

    /** Applies one resolved event of a profile; idempotent for a redelivered message. */
    public Uni<Void> recordActivity(ProfileActivity activity) {
        Instant at = clock.instant();
        String ws = activity.workspace();
        String pid = activity.profileId();
        return pool.withTransaction(conn -> lockTraits(conn, ws, pid).chain(previous -> {
            Map<String, Value> traits = activity.traits().or(() -> previous).orElse(Map.of());
            Set<String> changed = new TreeSet<>(activity.changedTraits());
            previous.ifPresent(before -> changed.addAll(ProfileActivity.differingTraits(before, traits)));
            return saveTraits(conn, ws, pid, traits, at)
                    .chain(() -> recordEvent(conn, activity))
                    .chain(eventStored -> segmentsToEvaluate(conn, ws, activity, previous.isEmpty(), eventStored, changed)
                            .chain(segmentIds -> reevaluate(conn, ws, pid, traits, segmentIds, at,
                                    dependencies -> reason(dependencies, activity, eventStored, changed, previous.isEmpty()),
                                    activity.messageId(), activity.messageId())));
        })).replaceWithVoid();
    }

    /** Why a segment is evaluated for every known profile: a change of its definition. */
    public enum DefinitionChange {
        CREATED("segment created", "segment-created"),
        UPDATED("segment updated", "segment-updated");

        final String reason;
        /** With the segment's version, this makes the change ids of one re-evaluation stable across retries. */
        final String cause;

        DefinitionChange(String reason, String cause) {
            this.reason = reason;
            this.cause = cause;
        }
    }

    /**
     * Evaluates a newly created or updated segment (at its current version) for every profile already
     * known in its workspace, one transaction per profile so the stream is never blocked for long.
     *
     * @return the profiles whose membership changed (their changes wait in the outbox)
     */
    public Uni<List<String>> reevaluateKnownProfiles(String workspace, String segmentId, DefinitionChange change) {
        Instant at = clock.instant();
        return pool.preparedQuery("select profile_id from profile_state where workspace = $1 order by profile_id")
                .execute(Tuple.of(workspace))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> row.getString("profile_id"))
                .onItem().transformToUniAndConcatenate(pid -> pool.withTransaction(conn -> lockTraits(conn, workspace, pid)
                                .chain(traits -> traits.isEmpty()
                                        ? Uni.createFrom().item(0)
                                        : reevaluate(conn, workspace, pid, traits.get(), Set.of(segmentId), at,
                                        dependencies -> change.reason, "", change.cause)))
                        .map(changes -> changes > 0 ? Optional.of(pid) : Optional.<String>empty()))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collect().asList();
    }

    /**
     * Deletes a segment; each member exits with a recorded change carrying the profile's stored traits
     * (the profile is not re-evaluated, so these are the traits it last had here).
     *
     * @return the profiles that exited, or empty if the workspace has no such segment
     */
    public Uni<Optional<List<String>>> retireSegment(String workspace, String segmentId) {
        Instant at = clock.instant();
        return pool.withTransaction(conn -> conn
                .preparedQuery("select version from segment where workspace = $1 and id = $2 for update")
                .execute(Tuple.of(workspace, segmentId))
                .chain(found -> {
                    if (found.size() == 0) {
                        return Uni.createFrom().item(Optional.<List<String>>empty());
                    }
                    int version = found.iterator().next().getInteger("version");
                    MembershipTransition exit = new MembershipTransition(segmentId, version, MembershipTransition.Direction.EXITED);
                    return conn.preparedQuery("""
                                    delete from segment_membership m where m.workspace = $1 and m.segment_id = $2
                                    returning m.profile_id, coalesce((select s.traits_json::text from profile_state s
                                            where s.workspace = m.workspace and s.profile_id = m.profile_id), '') as traits""")
                            .execute(Tuple.of(workspace, segmentId))
                            .chain(members -> {
                                List<String> exited = new ArrayList<>();
                                members.forEach(row -> exited.add(row.getString("profile_id")));
                                return Multi.createFrom().iterable(members)
                                        .onItem().transformToUniAndConcatenate(row -> writeOutbox(conn, workspace,
                                                row.getString("profile_id"), exit, row.getString("traits"),
                                                "segment deleted", "", CAUSE_SEGMENT_DELETED, at))
                                        .collect().last()
                                        .chain(() -> conn.preparedQuery("delete from segment where workspace = $1 and id = $2")
                                                .execute(Tuple.of(workspace, segmentId)))
                                        .invoke(() -> conditions.remove(segmentId + ":" + version))
                                        .map(deleted -> Optional.of(exited));
                            });
                }));
    }

    /**
     * Erases a profile: it exits every segment it is in (the changes carry no traits, since the person's
     * data is going) and its state and kept events are deleted, in one transaction. Erasing again finds
     * nothing and changes nothing.
     */
    public Uni<Erasure> erase(String workspace, String profileId, String cause) {
        Instant at = clock.instant();
        return pool.withTransaction(conn -> lockTraits(conn, workspace, profileId).chain(state -> conn.preparedQuery("""
                                delete from segment_membership m using segment s
                                where m.workspace = $1 and m.profile_id = $2 and s.id = m.segment_id
                                returning m.segment_id, s.version""")
                        .execute(Tuple.of(workspace, profileId))
                        .chain(members -> {
                            List<MembershipTransition> exits = new ArrayList<>();
                            members.forEach(row -> exits.add(new MembershipTransition(row.getString("segment_id"),
                                    row.getInteger("version"), MembershipTransition.Direction.EXITED)));
                            return Multi.createFrom().iterable(exits)
                                    .onItem().transformToUniAndConcatenate(exit -> writeOutbox(conn, workspace, profileId, exit,
                                            "", "profile deleted", "", cause, at))
                                    .collect().last()
                                    .chain(() -> conn.preparedQuery("delete from profile_event where workspace = $1 and profile_id = $2")
                                            .execute(Tuple.of(workspace, profileId)))
                                    .chain(events -> conn.preparedQuery("delete from profile_state where workspace = $1 and profile_id = $2")
                                            .execute(Tuple.of(workspace, profileId))
                                            .map(deleted -> new Erasure(exits.size(), events.rowCount(), state.isPresent())));
                        })));
    }

    private Uni<Optional<Map<String, Value>>> lockTraits(SqlConnection conn, String ws, String pid) {
        return conn.preparedQuery("select traits_json::text as traits from profile_state where workspace = $1 and profile_id = $2 for update")
                .execute(Tuple.of(ws, pid))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(ProfileStateRows.readObject(rows.iterator().next().getString("traits"))));
    }

    private Uni<Void> saveTraits(SqlConnection conn, String ws, String pid, Map<String, Value> traits, Instant at) {
        return conn.preparedQuery("""
                        insert into profile_state (workspace, profile_id, traits_json, updated_at)
                        values ($1, $2, $3::text::jsonb, $4)
                        on conflict (workspace, profile_id)
                        do update set traits_json = excluded.traits_json, updated_at = excluded.updated_at""")
                .execute(Tuple.of(ws, pid, ProfileStateRows.writeObject(traits), utc(at)))
                .replaceWithVoid();
    }

    /**
     * Keeps the event if some segment of the workspace counts events of its name.
     *
     * @return whether the event is new to the profile's state (false for unreferenced names and redeliveries)
     */
    private Uni<Boolean> recordEvent(SqlConnection conn, ProfileActivity activity) {
        if (activity.event().isEmpty()) {
            return Uni.createFrom().item(false);
        }
        ObservedEvent event = activity.event().get();
        return conn.preparedQuery("""
                        insert into profile_event (workspace, profile_id, message_id, name, occurred_at, properties_json)
                        select $1::text, $2::text, $3::text, $4::text, $5::timestamptz, $6::text::jsonb
                        where exists (select 1 from segment_dependency where workspace = $1::text and kind = 'event' and name = $4::text)
                        on conflict (workspace, profile_id, message_id) do nothing""")
                .execute(Tuple.from(List.of(activity.workspace(), activity.profileId(), activity.messageId(), event.name(),
                        utc(event.timestamp()), ProfileStateRows.writeObject(event.properties()))))
                .map(result -> result.rowCount() == 1);
    }

    /**
     * The segments an activity can affect, from the dependency index: those reading the event's name (if
     * the event is new) or a changed trait. A profile seen for the first time is evaluated against every
     * segment of the workspace, since a condition such as "not plan = pro" can hold without any change.
     */
    private Uni<Set<String>> segmentsToEvaluate(SqlConnection conn, String ws, ProfileActivity activity,
                                                boolean firstSeen, boolean eventStored, Set<String> changedTraits) {
        if (firstSeen) {
            return ids(conn.preparedQuery("select id from segment where workspace = $1").execute(Tuple.of(ws)), "id");
        }
        if (!eventStored && changedTraits.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String eventName = eventStored ? activity.event().orElseThrow().name() : null;
        return ids(conn.preparedQuery("""
                        select distinct segment_id from segment_dependency
                        where workspace = $1 and ((kind = 'event' and name = $2) or (kind = 'trait' and name = any($3)))""")
                .execute(Tuple.of(ws, eventName, changedTraits.toArray(String[]::new))), "segment_id");
    }

    /**
     * Evaluates the given segments for one profile (whose state row the caller has locked) and records
     * every transition with its outgoing change.
     *
     * @return the number of transitions recorded
     */
    private Uni<Integer> reevaluate(SqlConnection conn, String ws, String pid, Map<String, Value> traits,
                                    Set<String> segmentIds, Instant at,
                                    Function<SegmentDependencies, String> reasonOf,
                                    String causeMessageId, String cause) {
        if (segmentIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String[] ids = segmentIds.toArray(String[]::new);
        return conn.preparedQuery("select id, version, definition_json from segment where workspace = $1 and id = any($2)")
                .execute(Tuple.of(ws, ids))
                .map(this::parsed)
                .chain(segments -> {
                    Set<String> eventNames = new TreeSet<>();
                    Duration longest = Duration.ZERO;
                    for (EvaluatedSegment segment : segments) {
                        SegmentDependencies dependencies = SegmentDependencies.of(segment.condition());
                        eventNames.addAll(dependencies.eventNames());
                        longest = longest.compareTo(dependencies.longestWindow()) >= 0 ? longest : dependencies.longestWindow();
                    }
                    return loadEvents(conn, ws, pid, eventNames, at.minus(longest))
                            .chain(events -> currentMemberships(conn, ws, pid, ids).chain(members -> {
                                ProfileState state = new ProfileState(traits, events);
                                String traitsJson = ProfileStateRows.writeObject(traits);
                                List<MembershipTransition> transitions =
                                        MembershipReconciliation.reconcile(segments, state, members, at);
                                Map<String, EvaluatedSegment> byId = segments.stream()
                                        .collect(Collectors.toMap(EvaluatedSegment::segmentId, s -> s));
                                return Multi.createFrom().iterable(transitions)
                                        .onItem().transformToUniAndConcatenate(t -> apply(conn, ws, pid, t, traitsJson, at,
                                                reasonOf.apply(SegmentDependencies.of(byId.get(t.segmentId()).condition())),
                                                causeMessageId, cause))
                                        .collect().asList()
                                        .map(applied -> (int) applied.stream().filter(Boolean::booleanValue).count());
                            }));
                });
    }

    private List<EvaluatedSegment> parsed(RowSet<Row> rows) {
        List<EvaluatedSegment> segments = new ArrayList<>();
        for (Row row : rows) {
            String id = row.getString("id");
            int version = row.getInteger("version");
            String definition = row.getString("definition_json");
            segments.add(conditions.computeIfAbsent(id + ":" + version,
                    key -> new EvaluatedSegment(id, version, SegmentDefinitionParser.parse(definition).condition())));
        }
        return segments;
    }

    private Uni<List<ObservedEvent>> loadEvents(SqlConnection conn, String ws, String pid, Set<String> names, Instant since) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return conn.preparedQuery("""
                        select name, occurred_at, properties_json::text as properties from profile_event
                        where workspace = $1 and profile_id = $2 and name = any($3) and occurred_at > $4""")
                .execute(Tuple.of(ws, pid, names.toArray(String[]::new), utc(since)))
                .map(rows -> {
                    List<ObservedEvent> events = new ArrayList<>();
                    rows.forEach(row -> events.add(ProfileStateRows.readEvent(row)));
                    return events;
                });
    }

    private Uni<Set<String>> currentMemberships(SqlConnection conn, String ws, String pid, String[] segmentIds) {
        return ids(conn.preparedQuery("""
                        select segment_id from segment_membership
                        where workspace = $1 and profile_id = $2 and segment_id = any($3)""")
                .execute(Tuple.of(ws, pid, segmentIds)), "segment_id");
    }

    /**
     * Records one transition if the membership row really changes (another path may have recorded it
     * first), and its outgoing change with it.
     */
    private Uni<Boolean> apply(SqlConnection conn, String ws, String pid, MembershipTransition transition,
                               String traitsJson, Instant at, String reason, String causeMessageId, String cause) {
        Uni<RowSet<Row>> change = switch (transition.direction()) {
            case ENTERED -> conn.preparedQuery("""
                            insert into segment_membership (workspace, segment_id, profile_id, entered_at)
                            values ($1, $2, $3, $4) on conflict do nothing""")
                    .execute(Tuple.of(ws, transition.segmentId(), pid, utc(at)));
            case EXITED -> conn.preparedQuery("""
                            delete from segment_membership where workspace = $1 and segment_id = $2 and profile_id = $3""")
                    .execute(Tuple.of(ws, transition.segmentId(), pid));
        };
        return change.chain(result -> result.rowCount() == 0
                ? Uni.createFrom().item(false)
                : writeOutbox(conn, ws, pid, transition, traitsJson, reason, causeMessageId, cause, at).replaceWith(true));
    }

    /** @param traitsJson the profile's traits the transition was decided on, so consumers need not look them up */
    private Uni<Void> writeOutbox(SqlConnection conn, String ws, String pid, MembershipTransition transition,
                                  String traitsJson, String reason, String causeMessageId, String cause, Instant at) {
        String changeId = transition.changeId(ws, pid, cause);
        MembershipChange change = MembershipChange.newBuilder()
                .setWorkspace(ws)
                .setSegmentId(transition.segmentId())
                .setSegmentVersion(transition.segmentVersion())
                .setProfileId(pid)
                .setTransition(switch (transition.direction()) {
                    case ENTERED -> MembershipChange.Transition.ENTERED;
                    case EXITED -> MembershipChange.Transition.EXITED;
                })
                .setReason(reason)
                .setAtMs(at.toEpochMilli())
                .setChangeId(changeId)
                .setCauseMessageId(causeMessageId)
                .setTraitsJson(ByteString.copyFromUtf8(traitsJson))
                .setProfileErased(CAUSE_PROFILE_DELETED.equals(cause))
                .build();
        return conn.preparedQuery("""
                        insert into membership_outbox (workspace, profile_id, change_id, payload, created_at)
                        values ($1, $2, $3, $4, $5) on conflict (change_id) do nothing""")
                .execute(Tuple.of(ws, pid, changeId, Buffer.buffer(change.toByteArray()).getDelegate(), utc(at)))
                .replaceWithVoid();
    }

    /** What, among the segment's dependencies, this activity changed: the human-readable reason. */
    private static String reason(SegmentDependencies dependencies, ProfileActivity activity, boolean eventStored,
                                 Set<String> changedTraits, boolean firstSeen) {
        List<String> parts = new ArrayList<>();
        if (eventStored) {
            String name = activity.event().orElseThrow().name();
            if (dependencies.eventNames().contains(name)) {
                parts.add("event '" + name + "'");
            }
        }
        Set<String> traits = new LinkedHashSet<>(changedTraits);
        traits.retainAll(dependencies.traitNames());
        if (!traits.isEmpty()) {
            parts.add("traits changed: " + String.join(", ", traits));
        }
        if (parts.isEmpty()) {
            parts.add(firstSeen ? "profile first seen" : "re-evaluated");
        }
        return String.join("; ", parts);
    }

    private static Uni<Set<String>> ids(Uni<RowSet<Row>> query, String column) {
        return query.map(rows -> {
            Set<String> ids = new HashSet<>();
            rows.forEach(row -> ids.add(row.getString(column)));
            return ids;
        });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
