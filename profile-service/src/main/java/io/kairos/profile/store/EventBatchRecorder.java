package io.kairos.profile.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.profile.domain.DroppedIdentifier;
import io.kairos.profile.domain.Identifier;
import io.kairos.profile.domain.IdentityRules;
import io.kairos.profile.domain.ObservedEvent;
import io.kairos.profile.domain.ProfileState;
import io.kairos.profile.domain.ResolutionRun;
import io.kairos.profile.domain.ResolutionRun.KnownProfile;
import io.kairos.profile.domain.ResolutionRun.MessageKey;
import io.kairos.profile.domain.ResolutionRun.ProfileChange;
import io.kairos.profile.domain.ResolutionRun.Recorded;
import io.kairos.profile.domain.ResolutionRun.Snapshot;
import io.kairos.profile.domain.ResolutionRun.Step;
import io.kairos.profile.domain.ResolutionRun.WorkspaceIdentifier;
import io.kairos.profile.domain.SuppressionDigest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Records a batch of events with a few statements per transaction instead of a transaction per
 * event: one read of the identity graph for the whole batch, resolution in memory
 * ({@link ResolutionRun}), then set-based writes of the profiles, identifiers and history, all
 * committed together. A batch is all or nothing: when another instance changed one of its
 * profiles or took one of its identifiers meanwhile, the transaction fails and the batch is
 * resolved anew.
 * <p>
 * An event the run cannot settle (a merge, a messageId already recorded) goes through
 * {@link ProfileRecorder} alone, then the batch goes on after it, so every profile sees its events
 * in order.
 */
@ApplicationScoped
public class EventBatchRecorder {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> TRAIT_TIMES = new TypeReference<>() {
    };
    private static final int ATTEMPTS_AFTER_FIRST = 8;

    @Inject
    Pool pool;

    @Inject
    ProfileRecorder single;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /**
     * The events as recorded, in their order; empty for one dropped because it carries a
     * suppressed identifier. Concurrency conflicts and infrastructure hiccups are retried with
     * back-off; the failure that remains is the caller's.
     *
     * @param events each with at least one usable identifier under its workspace's rules
     */
    public Uni<List<Optional<RecordedEvent>>> record(List<ObservedEvent> events, Function<String, IdentityRules> rules) {
        List<Optional<RecordedEvent>> results = new ArrayList<>(events.size());
        return recordFrom(events, rules, results).replaceWith(results);
    }

    private Uni<Void> recordFrom(List<ObservedEvent> events, Function<String, IdentityRules> rules,
            List<Optional<RecordedEvent>> results) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return retrying(Uni.createFrom().deferred(() -> run(events, rules))).chain(settled -> {
            results.addAll(settled);
            if (settled.size() == events.size()) {
                return Uni.createFrom().voidItem();
            }
            ObservedEvent unsettled = events.get(settled.size());
            return retrying(Uni.createFrom().deferred(() -> single.record(unsettled, rules.apply(unsettled.workspace()))))
                    .invoke(results::add)
                    .chain(() -> recordFrom(events.subList(settled.size() + 1, events.size()), rules, results));
        });
    }

    private Uni<List<Optional<RecordedEvent>>> run(List<ObservedEvent> events, Function<String, IdentityRules> rules) {
        Instant now = clock.instant();
        ResolutionRun resolution = new ResolutionRun(rules, UUID::randomUUID, now);
        return pool.withTransaction(connection -> snapshot(connection, events, resolution)
                .chain(snapshot -> {
                    ResolutionRun.Outcome outcome = resolution.resolve(events, snapshot);
                    return write(connection, outcome, now).replaceWith(outcome);
                }))
                .map(outcome -> outcome.steps().stream().map(EventBatchRecorder::recorded).toList());
    }

    private static Optional<RecordedEvent> recorded(Step step) {
        return switch (step) {
            case ResolutionRun.Suppressed ignored -> Optional.empty();
            case Recorded recorded -> Optional.of(new RecordedEvent(recorded.profileId(), recorded.event(),
                    recorded.update().traits(), recorded.update().changed(), List.of(), false));
        };
    }

    // --- reading the snapshot ---

    private Uni<Snapshot> snapshot(SqlConnection connection, List<ObservedEvent> events, ResolutionRun resolution) {
        Set<WorkspaceIdentifier> observed = new LinkedHashSet<>();
        for (ObservedEvent event : events) {
            resolution.identifiers(event)
                    .forEach(identifier -> observed.add(new WorkspaceIdentifier(event.workspace(), identifier)));
        }
        // Sent together on the one connection: PostgreSQL gets them pipelined.
        return Uni.combine().all()
                .unis(recorded(connection, events), holders(connection, observed), suppressed(connection, observed))
                .asTuple()
                .chain(read -> profiles(connection, read.getItem2()).map(profiles ->
                        new Snapshot(read.getItem2(), profiles, read.getItem3(), read.getItem1())));
    }

    private Uni<Set<MessageKey>> recorded(SqlConnection connection, List<ObservedEvent> events) {
        return connection.preparedQuery("""
                        select r.workspace, r.message_id from recorded_message r
                        join unnest($1::text[], $2::text[]) as k(workspace, message_id)
                          on r.workspace = k.workspace and r.message_id = k.message_id""")
                .execute(Tuple.of(events.stream().map(ObservedEvent::workspace).toArray(String[]::new),
                        events.stream().map(ObservedEvent::messageId).toArray(String[]::new)))
                .map(rows -> {
                    Set<MessageKey> keys = new HashSet<>();
                    rows.forEach(row -> keys.add(new MessageKey(row.getString(0), row.getString(1))));
                    return keys;
                });
    }

    private Uni<Map<WorkspaceIdentifier, UUID>> holders(SqlConnection connection, Set<WorkspaceIdentifier> observed) {
        return connection.preparedQuery("""
                        select i.workspace, i.type, i.value, i.profile_id from profile_identifier i
                        join unnest($1::text[], $2::text[], $3::text[]) as k(workspace, type, value)
                          on i.workspace = k.workspace and i.type = k.type and i.value = k.value""")
                .execute(Tuple.of(observed.stream().map(WorkspaceIdentifier::workspace).toArray(String[]::new),
                        observed.stream().map(held -> held.identifier().type()).toArray(String[]::new),
                        observed.stream().map(held -> held.identifier().value()).toArray(String[]::new)))
                .map(rows -> {
                    Map<WorkspaceIdentifier, UUID> holders = new HashMap<>();
                    rows.forEach(row -> holders.put(new WorkspaceIdentifier(row.getString(0),
                            new Identifier(row.getString(1), row.getString(2))), row.getUUID(3)));
                    return holders;
                });
    }

    private Uni<Set<String>> suppressed(SqlConnection connection, Set<WorkspaceIdentifier> observed) {
        return connection.preparedQuery("""
                        select s.digest from suppressed_identifier s
                        join unnest($1::text[], $2::text[]) as k(workspace, digest)
                          on s.workspace = k.workspace and s.digest = k.digest""")
                .execute(Tuple.of(observed.stream().map(WorkspaceIdentifier::workspace).toArray(String[]::new),
                        observed.stream().map(held -> SuppressionDigest.of(held.workspace(), held.identifier()))
                                .toArray(String[]::new)))
                .map(rows -> {
                    Set<String> digests = new HashSet<>();
                    rows.forEach(row -> digests.add(row.getString(0)));
                    return digests;
                });
    }

    /** The holders with all their identifiers; a holder gone meanwhile (erased, merged) fails the batch, to be resolved anew. */
    private Uni<Map<UUID, KnownProfile>> profiles(SqlConnection connection, Map<WorkspaceIdentifier, UUID> holders) {
        if (holders.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        UUID[] ids = holders.values().stream().distinct().toArray(UUID[]::new);
        Uni<RowSet<Row>> profiles = connection.preparedQuery("""
                        select id, workspace, traits::text, trait_times::text, first_seen, last_seen, created_at, version
                        from profile where id = any($1::uuid[])""")
                .execute(Tuple.of(ids));
        Uni<RowSet<Row>> identifiers = connection.preparedQuery("""
                        select i.profile_id, i.type, i.value from profile_identifier i
                        join (select distinct workspace, profile_id from unnest($1::text[], $2::uuid[]) as k(workspace, profile_id)) k
                          on i.workspace = k.workspace and i.profile_id = k.profile_id""")
                .execute(Tuple.of(holders.keySet().stream().map(WorkspaceIdentifier::workspace).toArray(String[]::new),
                        holders.keySet().stream().map(holders::get).toArray(UUID[]::new)));
        return Uni.combine().all().unis(profiles, identifiers).asTuple().map(read -> {
            Map<UUID, Set<Identifier>> held = new HashMap<>();
            read.getItem2().forEach(row -> held.computeIfAbsent(row.getUUID(0), id -> new HashSet<>())
                    .add(new Identifier(row.getString(1), row.getString(2))));
            Map<UUID, KnownProfile> known = new HashMap<>();
            read.getItem1().forEach(row -> known.put(row.getUUID(0), new KnownProfile(row.getUUID(0), row.getString(1),
                    row.getOffsetDateTime(6).toInstant(), row.getLong(7),
                    new ProfileState(readObject(row.getString(2)), ProfileEntity.parsedTimes(readJson(row.getString(3), TRAIT_TIMES)),
                            row.getOffsetDateTime(4).toInstant(), row.getOffsetDateTime(5).toInstant()),
                    held.getOrDefault(row.getUUID(0), Set.of()))));
            if (known.size() != ids.length) {
                throw new OptimisticLockException("a profile holding one of the batch's identifiers went away while it was read");
            }
            return known;
        });
    }

    // --- writing the run ---

    private Uni<Void> write(SqlConnection connection, ResolutionRun.Outcome outcome, Instant now) {
        List<Recorded> recorded = outcome.steps().stream()
                .flatMap(step -> step instanceof Recorded r ? Stream.of(r) : Stream.empty())
                .toList();
        if (recorded.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        List<ProfileChange> created = outcome.profiles().stream().filter(ProfileChange::created).toList();
        List<ProfileChange> updated = outcome.profiles().stream().filter(change -> !change.created())
                // one order for every batch: concurrent batches lock shared profiles in the same order
                .sorted(Comparator.comparing(ProfileChange::id)).toList();
        // The new profiles first: the other rows reference them.
        return insertProfiles(connection, created, at)
                .chain(() -> Uni.combine().all().unis(
                        updateProfiles(connection, updated, at),
                        insertIdentifiers(connection, recorded, at),
                        insertDropped(connection, recorded, at),
                        insertHistory(connection, recorded, at),
                        insertRecordedMessages(connection, recorded)).discardItems());
    }

    private Uni<Void> insertProfiles(SqlConnection connection, List<ProfileChange> created, OffsetDateTime at) {
        if (created.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("""
                        insert into profile (id, workspace, traits, trait_times, first_seen, last_seen, created_at, updated_at, version)
                        select id, workspace, traits::jsonb, trait_times::jsonb, first_seen, last_seen, $7, $7, 0
                        from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
                          as p(id, workspace, traits, trait_times, first_seen, last_seen)""")
                .execute(profileColumns(created).addValue(at))
                .replaceWithVoid();
    }

    private Uni<Void> updateProfiles(SqlConnection connection, List<ProfileChange> updated, OffsetDateTime at) {
        if (updated.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("""
                        update profile p set traits = u.traits::jsonb, trait_times = u.trait_times::jsonb,
                          first_seen = u.first_seen, last_seen = u.last_seen, updated_at = $8, version = p.version + 1
                        from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::bigint[])
                          as u(id, workspace, traits, trait_times, first_seen, last_seen, version)
                        where p.id = u.id and p.workspace = u.workspace and p.version = u.version""")
                .execute(profileColumns(updated)
                        .addValue(updated.stream().map(ProfileChange::version).toArray(Long[]::new))
                        .addValue(at))
                .invoke(rows -> {
                    if (rows.rowCount() != updated.size()) {
                        throw new OptimisticLockException((updated.size() - rows.rowCount())
                                + " of the batch's profiles were changed by another writer meanwhile");
                    }
                })
                .replaceWithVoid();
    }

    private Tuple profileColumns(List<ProfileChange> changes) {
        return Tuple.of(
                changes.stream().map(ProfileChange::id).toArray(UUID[]::new),
                changes.stream().map(ProfileChange::workspace).toArray(String[]::new),
                changes.stream().map(change -> writeJson(change.state().traits())).toArray(String[]::new),
                changes.stream().map(change -> writeJson(ProfileEntity.storedTimes(change.state().traitTimes()))).toArray(String[]::new),
                changes.stream().map(change -> change.state().firstSeen().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new),
                changes.stream().map(change -> change.state().lastSeen().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new));
    }

    /** A conflict on the key means another writer attached the identifier meanwhile: the batch fails and is resolved anew. */
    private Uni<Void> insertIdentifiers(SqlConnection connection, List<Recorded> recorded, OffsetDateTime at) {
        List<String> workspaces = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<UUID> profiles = new ArrayList<>();
        for (Recorded step : recorded) {
            for (Identifier identifier : step.newIdentifiers()) {
                workspaces.add(step.event().workspace());
                types.add(identifier.type());
                values.add(identifier.value());
                profiles.add(step.profileId());
            }
        }
        if (workspaces.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("""
                        insert into profile_identifier (workspace, type, value, profile_id, created_at)
                        select workspace, type, value, profile_id, $5
                        from unnest($1::text[], $2::text[], $3::text[], $4::uuid[]) as i(workspace, type, value, profile_id)""")
                .execute(Tuple.of(workspaces.toArray(String[]::new), types.toArray(String[]::new),
                        values.toArray(String[]::new), profiles.toArray(UUID[]::new)).addValue(at))
                .replaceWithVoid();
    }

    private Uni<Void> insertDropped(SqlConnection connection, List<Recorded> recorded, OffsetDateTime at) {
        List<Object[]> rows = new ArrayList<>();
        for (Recorded step : recorded) {
            for (DroppedIdentifier drop : step.dropped()) {
                rows.add(new Object[] {step.event().workspace(), step.event().messageId(), drop.identifier().type(),
                        drop.identifier().value(), step.profileId(), drop.reason(), drop.detail()});
            }
            DroppedIdentifierRepository.log(step.event(), step.profileId(), step.dropped());
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("""
                        insert into dropped_identifier (workspace, message_id, type, value, profile_id, reason, detail, dropped_at)
                        select workspace, message_id, type, value, profile_id, reason, detail, $8
                        from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[])
                          as d(workspace, message_id, type, value, profile_id, reason, detail)""")
                .execute(Tuple.from(List.of(column(rows, 0, String[]::new), column(rows, 1, String[]::new),
                        column(rows, 2, String[]::new), column(rows, 3, String[]::new), column(rows, 4, UUID[]::new),
                        column(rows, 5, String[]::new), column(rows, 6, String[]::new), at)))
                .replaceWithVoid();
    }

    private Uni<Void> insertHistory(SqlConnection connection, List<Recorded> recorded, OffsetDateTime at) {
        List<ObservedEvent> events = recorded.stream().map(Recorded::event).toList();
        return connection.preparedQuery("""
                        insert into profile_event (workspace, message_id, profile_id, type, event, channel, user_id, anonymous_id,
                          previous_id, group_id, source_id, occurred_at, received_at, payload, changed_traits, recorded_at)
                        select workspace, message_id, profile_id, type, event, channel, user_id, anonymous_id, previous_id,
                          group_id, source_id, occurred_at, received_at, payload::jsonb, changed_traits::jsonb, $16
                        from unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::text[],
                          $15::text[])
                          as e(workspace, message_id, profile_id, type, event, channel, user_id, anonymous_id, previous_id,
                          group_id, source_id, occurred_at, received_at, payload, changed_traits)""")
                .execute(Tuple.from(List.of(
                        events.stream().map(ObservedEvent::workspace).toArray(String[]::new),
                        events.stream().map(ObservedEvent::messageId).toArray(String[]::new),
                        recorded.stream().map(Recorded::profileId).toArray(UUID[]::new),
                        events.stream().map(event -> event.type().wireName()).toArray(String[]::new),
                        events.stream().map(ObservedEvent::event).toArray(String[]::new),
                        events.stream().map(ObservedEvent::channel).toArray(String[]::new),
                        events.stream().map(ObservedEvent::userId).toArray(String[]::new),
                        events.stream().map(ObservedEvent::anonymousId).toArray(String[]::new),
                        events.stream().map(ObservedEvent::previousId).toArray(String[]::new),
                        events.stream().map(ObservedEvent::groupId).toArray(String[]::new),
                        events.stream().map(ObservedEvent::sourceId).toArray(String[]::new),
                        events.stream().map(event -> event.occurredAt().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new),
                        events.stream().map(event -> event.receivedAt() == null ? null : event.receivedAt().atOffset(ZoneOffset.UTC))
                                .toArray(OffsetDateTime[]::new),
                        events.stream().map(event -> writeJson(event.payload())).toArray(String[]::new),
                        recorded.stream().map(step -> writeJson(step.update().changed())).toArray(String[]::new),
                        at)))
                .replaceWithVoid();
    }

    /** The history's idempotency key: a concurrent recording of the same messageId fails the batch, which then replays it. */
    private Uni<Void> insertRecordedMessages(SqlConnection connection, List<Recorded> recorded) {
        return connection.preparedQuery("""
                        insert into recorded_message (workspace, message_id, profile_id, occurred_at)
                        select * from unnest($1::text[], $2::text[], $3::uuid[], $4::timestamptz[])""")
                .execute(Tuple.of(recorded.stream().map(step -> step.event().workspace()).toArray(String[]::new),
                        recorded.stream().map(step -> step.event().messageId()).toArray(String[]::new),
                        recorded.stream().map(Recorded::profileId).toArray(UUID[]::new),
                        recorded.stream().map(step -> step.event().occurredAt().atOffset(ZoneOffset.UTC))
                                .toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    // --- retries and JSON ---

    private static <T> Uni<T> retrying(Uni<T> attempt) {
        return attempt.onFailure(EventBatchRecorder::isRetryable)
                .retry().withBackOff(Duration.ofMillis(20), Duration.ofSeconds(5)).withJitter(0.5).atMost(ATTEMPTS_AFTER_FIRST);
    }

    /** Concurrency conflicts and infrastructure hiccups pass; data PostgreSQL rejects (class 22) never will. */
    private static boolean isRetryable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException || cause instanceof UncheckedIOException) {
                return false;
            }
            if (cause instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
                return false;
            }
        }
        return true;
    }

    private static <T> T[] column(List<Object[]> rows, int index, IntFunction<T[]> array) {
        T[] column = array.apply(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            @SuppressWarnings("unchecked")
            T value = (T) rows.get(i)[index];
            column[i] = value;
        }
        return column;
    }


    private Map<String, Object> readObject(String stored) {
        return readJson(stored, JSON_OBJECT);
    }

    private <T> T readJson(String stored, TypeReference<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored JSON is unreadable", e);
        }
    }

    private String writeJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("value cannot be written as JSON", e);
        }
    }
}
