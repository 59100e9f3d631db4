package io.kairos.segment.store;

import io.kairos.segment.domain.AudienceEstimate;
import io.kairos.segment.domain.Condition;
import io.kairos.segment.domain.ObservedEvent;
import io.kairos.segment.domain.ProfileState;
import io.kairos.segment.domain.SegmentDependencies;
import io.kairos.segment.domain.Value;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Evaluates an unsaved condition over the profiles a workspace has here, from the same state the
 * real-time path keeps (traits and the events some segment counts), without locking or writing anything.
 * Profiles are read a page at a time in profile id order, so the sample is the first members by id.
 */
@ApplicationScoped
public class AudiencePreview {

    static final int PAGE_SIZE = 100;

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    private record ProfilePage(Map<String, Map<String, Value>> traits, Map<String, List<ObservedEvent>> events) {
    }

    public Uni<AudienceEstimate> estimate(String workspace, Condition condition, int sampleSize) {
        AudienceEstimate estimate = new AudienceEstimate(condition, clock.instant(), sampleSize);
        SegmentDependencies dependencies = SegmentDependencies.of(condition);
        String[] eventNames = dependencies.eventNames().toArray(String[]::new);
        Instant since = estimate.at().minus(dependencies.longestWindow());
        AtomicReference<String> after = new AtomicReference<>("");
        return Multi.createBy().repeating()
                .uni(() -> after, cursor -> page(workspace, cursor, eventNames, since))
                .whilst(page -> page.traits().size() == PAGE_SIZE)
                .onItem().invoke(page -> page.traits().forEach((pid, traits) ->
                        estimate.evaluate(pid, new ProfileState(traits, page.events().getOrDefault(pid, List.of())))))
                .collect().last()
                .replaceWith(estimate);
    }

    /** The next page of profiles after {@code cursor}, which it moves to the last profile read. */
    private Uni<ProfilePage> page(String workspace, AtomicReference<String> cursor, String[] eventNames, Instant since) {
        return pool.preparedQuery("""
                        select profile_id, traits_json::text as traits from profile_state
                        where workspace = $1 and profile_id > $2 order by profile_id limit $3""")
                .execute(Tuple.of(workspace, cursor.get(), PAGE_SIZE))
                .chain(rows -> {
                    Map<String, Map<String, Value>> traits = new LinkedHashMap<>();
                    for (Row row : rows) {
                        traits.put(row.getString("profile_id"), ProfileStateRows.readObject(row.getString("traits")));
                    }
                    if (traits.isEmpty()) {
                        return Uni.createFrom().item(new ProfilePage(traits, Map.of()));
                    }
                    cursor.set(traits.keySet().stream().reduce((first, second) -> second).orElseThrow());
                    return events(workspace, traits.keySet().toArray(String[]::new), eventNames, since)
                            .map(events -> new ProfilePage(traits, events));
                });
    }

    private Uni<Map<String, List<ObservedEvent>>> events(String workspace, String[] profileIds, String[] eventNames,
                                                         Instant since) {
        if (eventNames.length == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("""
                        select profile_id, name, occurred_at, properties_json::text as properties from profile_event
                        where workspace = $1 and profile_id = any($2) and name = any($3) and occurred_at > $4""")
                .execute(Tuple.of(workspace, profileIds, eventNames, since.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<String, List<ObservedEvent>> events = new HashMap<>();
                    rows.forEach(row -> events.computeIfAbsent(row.getString("profile_id"), pid -> new ArrayList<>())
                            .add(ProfileStateRows.readEvent(row)));
                    return events;
                });
    }
}
