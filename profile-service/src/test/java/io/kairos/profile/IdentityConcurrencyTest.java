package io.kairos.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.profile.domain.EventType;
import io.kairos.profile.domain.Identifier;
import io.kairos.profile.domain.IdentityRules;
import io.kairos.profile.domain.ObservedEvent;
import io.kairos.profile.store.EventBatchRecorder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * Identity resolution is correct under concurrency, against the real PostgreSQL. Random event sets
 * (jqwik generators, seeded, so a failure names its seed) are split into lanes the way Kafka
 * partitions split them (by userId, else anonymousId), and the lanes are recorded at once, each
 * in order and in batches of random size (1 to 6 events, as polls return them), through the
 * consumer's batch path: a batch resolved in memory, a merge recorded alone, conflicts retried. Events that will merge race on different
 * lanes. Whatever the interleaving:
 * <ul>
 * <li>every event is recorded once, and no profile breaks a limit;</li>
 * <li>each identifier of an event is on the event's profile, or dropped for that event with a reason;</li>
 * <li>every alias names a profile that exists;</li>
 * <li>without limits, the graph ends as the connected components of the events' identifiers:
 * the same graph for every interleaving.</li>
 * </ul>
 */
@QuarkusTest
class IdentityConcurrencyTest {

    private static final int TRIES = 25;
    private static final int LANES = 4;
    private static final int ATTEMPTS = 3;

    @Inject
    EventBatchRecorder recorder;

    @Inject
    DataSource database;

    @Test
    void withTheDefaultRulesNoInterleavingBreaksALimitOrLosesAnIdentifier() throws Exception {
        IdentityRules rules = IdentityRules.defaults();
        for (long seed = 1; seed <= TRIES; seed++) {
            String ws = RawEvents.workspace();
            List<ObservedEvent> events = events(ws, new Random(seed));
            recordConcurrently(events, rules, new Random(seed));

            String context = "seed " + seed + ", events " + describe(events);
            assertThat(count("select count(*) from profile_event where workspace = ?", ws)).as(context).isEqualTo(events.size());
            assertThat(count("""
                    select count(*) from (select profile_id, type from profile_identifier where workspace = ?
                    group by profile_id, type having (type = 'userId' and count(*) > 1) or (type = 'email' and count(*) > 5)) over""",
                    ws)).as(context).isZero();
            assertThat(count("""
                    select count(*) from profile_alias a where workspace = ?
                    and not exists (select 1 from profile p where p.id = a.survivor_id)""", ws)).as(context).isZero();
            Map<Identifier, String> holders = holders(ws);
            Map<String, String> profileOfEvent = profileOfEvent(ws);
            Set<String> dropped = dropped(ws);
            for (ObservedEvent event : events) {
                for (Identifier identifier : event.identifiers(rules)) {
                    boolean droppedForEvent = dropped.contains(event.messageId() + "|" + identifier.type() + "|" + identifier.value());
                    assertThat(droppedForEvent || profileOfEvent.get(event.messageId()).equals(holders.get(identifier)))
                            .as("%s of %s: on the event's profile or dropped (%s)", identifier, event.messageId(), context)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void withoutLimitsEveryInterleavingEndsInTheSameGraph() throws Exception {
        IdentityRules unlimited = new IdentityRules(Map.of(), IdentityRules.defaults().priority(), IdentityRules.defaults().blockedValues());
        for (long seed = 1; seed <= TRIES; seed++) {
            String ws = RawEvents.workspace();
            List<ObservedEvent> events = events(ws, new Random(seed));
            recordConcurrently(events, unlimited, new Random(seed));

            Map<Identifier, String> holders = holders(ws);
            Set<Set<Identifier>> graph = holders.entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue,
                    Collectors.mapping(Map.Entry::getKey, Collectors.toSet()))).values().stream().collect(Collectors.toSet());
            assertThat(graph).as("seed %d, events %s", seed, describe(events)).isEqualTo(components(events, unlimited));
            assertThat(count("select count(*) from profile where workspace = ?", ws)).isEqualTo(graph.size());
        }
    }

    /** Events with few distinct values, so that they collide, merge and conflict often. */
    private static List<ObservedEvent> events(String ws, Random random) {
        Arbitrary<String> userId = Arbitraries.of("u0", "u1", "u2", "u3");
        Arbitrary<String> anonymousId = Arbitraries.integers().between(0, 7).map(i -> "a" + i);
        Arbitrary<String> email = Arbitraries.integers().between(0, 4).map(i -> "e" + i + "@example.com");
        Arbitrary<List<String>> crmIds = Arbitraries.of("c0", "c1", "c2").list().ofMaxSize(2).uniqueElements();
        Arbitrary<List<Object>> event = Combinators.combine(userId.injectNull(0.5), anonymousId.injectNull(0.3),
                        email.injectNull(0.6), crmIds)
                .as((u, a, e, c) -> {
                    List<Object> parts = new ArrayList<>();
                    parts.add(u);
                    parts.add(a);
                    parts.add(e);
                    parts.add(c);
                    return parts;
                })
                .filter(parts -> parts.get(0) != null || parts.get(1) != null || parts.get(2) != null || !((List<?>) parts.get(3)).isEmpty());
        // A jqwik session lets the generators run inside a JUnit (Quarkus) test; the seed makes the draw repeatable.
        JqwikSession.start();
        List<List<Object>> drawn;
        try {
            drawn = event.list().ofMinSize(5).ofMaxSize(30).generator(100).next(random).value();
        } finally {
            JqwikSession.finish();
        }
        List<ObservedEvent> events = new ArrayList<>();
        for (int i = 0; i < drawn.size(); i++) {
            List<Object> parts = drawn.get(i);
            Map<String, Object> payload = new LinkedHashMap<>();
            if (parts.get(2) != null) {
                payload.put("traits", Map.of("email", parts.get(2)));
            }
            List<Map<String, String>> externalIds = ((List<?>) parts.get(3)).stream()
                    .map(id -> Map.of("id", (String) id, "type", "crm_id")).toList();
            payload.put("context", Map.of("externalIds", externalIds));
            Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
            events.add(new ObservedEvent(ws, "m-" + i, EventType.IDENTIFY, null, (String) parts.get(0), (String) parts.get(1),
                    null, null, null, "web", at, at, payload));
        }
        return events;
    }

    /** One thread per lane, as one consumer per partition, recording its events a batch at a time. */
    private void recordConcurrently(List<ObservedEvent> events, IdentityRules rules, Random random) throws Exception {
        Map<Integer, List<ObservedEvent>> lanes = new HashMap<>();
        int shift = random.nextInt(LANES); // another assignment of keys to lanes for every seed
        for (ObservedEvent event : events) {
            String key = event.userId() != null ? event.userId() : event.anonymousId() != null ? event.anonymousId() : event.messageId();
            lanes.computeIfAbsent(Math.floorMod(key.hashCode() + shift, LANES), lane -> new ArrayList<>()).add(event);
        }
        ExecutorService threads = Executors.newFixedThreadPool(LANES);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (List<ObservedEvent> lane : lanes.values()) {
                List<Integer> batchSizes = new ArrayList<>();
                for (int covered = 0; covered < lane.size(); covered += batchSizes.getLast()) {
                    batchSizes.add(1 + random.nextInt(6));
                }
                running.add(threads.submit(() -> {
                    int from = 0;
                    for (int size : batchSizes) {
                        List<ObservedEvent> batch = lane.subList(from, Math.min(lane.size(), from + size));
                        recordRetrying(batch, rules);
                        from += batch.size();
                    }
                    return null;
                }));
            }
            for (Future<?> lane : running) {
                lane.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** The recorder retries conflicts itself; on top of that, a batch is tried again as a redelivery would. */
    private void recordRetrying(List<ObservedEvent> batch, IdentityRules rules) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                VertxContextSupport.subscribeAndAwait(() -> recorder.record(batch, workspace -> rules));
                return;
            } catch (Throwable conflict) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException(batch.getFirst().messageId() + ".. still failed after " + ATTEMPTS + " attempts", conflict);
                }
                Thread.sleep(5L * attempt); // back off before the retry, as the consumer does
            }
        }
    }

    /** The identifier sets joined wherever they share an identifier. */
    private static Set<Set<Identifier>> components(List<ObservedEvent> events, IdentityRules rules) {
        List<Set<Identifier>> groups = new ArrayList<>();
        for (ObservedEvent event : events) {
            Set<Identifier> joined = new HashSet<>(event.identifiers(rules));
            groups.removeIf(group -> {
                if (group.stream().anyMatch(joined::contains)) {
                    joined.addAll(group);
                    return true;
                }
                return false;
            });
            groups.add(joined);
        }
        return Set.copyOf(groups.stream().map(Set::copyOf).toList());
    }

    private Map<Identifier, String> holders(String ws) throws SQLException {
        Map<Identifier, String> holders = new HashMap<>();
        query("select type, value, profile_id from profile_identifier where workspace = ?", ws,
                rows -> holders.put(new Identifier(rows.getString(1), rows.getString(2)), rows.getString(3)));
        return holders;
    }

    private Map<String, String> profileOfEvent(String ws) throws SQLException {
        Map<String, String> profiles = new HashMap<>();
        query("select message_id, profile_id from profile_event where workspace = ?", ws,
                rows -> profiles.put(rows.getString(1), rows.getString(2)));
        return profiles;
    }

    private Set<String> dropped(String ws) throws SQLException {
        Set<String> dropped = new HashSet<>();
        query("select message_id, type, value from dropped_identifier where workspace = ?", ws,
                rows -> dropped.add(rows.getString(1) + "|" + rows.getString(2) + "|" + rows.getString(3)));
        return dropped;
    }

    private long count(String sql, String ws) throws SQLException {
        return Lookups.count(database, sql, ws);
    }

    private interface Row {
        void read(ResultSet rows) throws SQLException;
    }

    private void query(String sql, String ws, Row row) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, ws);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    row.read(rows);
                }
            }
        }
    }

    private static String describe(List<ObservedEvent> events) {
        return events.stream().map(event -> event.messageId() + "=" + event.identifiers(IdentityRules.defaults()).stream()
                .map(Identifier::value).toList()).toList().toString();
    }
}
