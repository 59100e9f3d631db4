package io.kairos.profile.store;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * How long each workspace keeps its event history, and the pass that enforces it: monthly
 * partitions created ahead of time, a month dropped whole once every workspace's retention has
 * passed it, and the expired events of workspaces with a shorter retention deleted.
 */
@ApplicationScoped
public class EventRetention {

    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 36500;

    private static final Logger LOG = Logger.getLogger(EventRetention.class);
    private static final Pattern MONTHLY_PARTITION = Pattern.compile("profile_event_(\\d{4})_(\\d{2})");

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    @ConfigProperty(name = "kairos.profile.history.retention-days")
    int defaultDays;

    @ConfigProperty(name = "kairos.profile.history.partitions-ahead")
    int monthsAhead;

    /** A workspace's retention; {@code serviceDefault} when it has not set its own. */
    public record Policy(int days, boolean serviceDefault) {
    }

    /** What one pass did. */
    public record Enforced(List<String> partitionsCreated, List<String> partitionsDropped, long eventsDeleted) {
    }

    public Uni<Policy> of(String workspace) {
        return pool.preparedQuery("select days from history_retention where workspace = $1")
                .execute(Tuple.of(workspace))
                .map(rows -> rows.size() == 0 ? new Policy(defaultDays, true) : new Policy(rows.iterator().next().getInteger(0), false));
    }

    /** Every workspace that set its own retention, with its days. */
    public Uni<Map<String, Integer>> own() {
        return pool.query("select workspace, days from history_retention").execute()
                .map(rows -> {
                    Map<String, Integer> days = new HashMap<>();
                    rows.forEach(row -> days.put(row.getString(0), row.getInteger(1)));
                    return days;
                });
    }

    public int defaultDays() {
        return defaultDays;
    }

    /** @param days between {@link #MIN_DAYS} and {@link #MAX_DAYS}; the next pass applies it */
    public Uni<Policy> set(String workspace, int days, String updatedBy) {
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new IllegalArgumentException("retention must be " + MIN_DAYS + " to " + MAX_DAYS + " days");
        }
        return pool.preparedQuery("""
                        insert into history_retention (workspace, days, updated_at, updated_by) values ($1, $2, $3, $4)
                        on conflict (workspace) do update set days = excluded.days, updated_at = excluded.updated_at,
                          updated_by = excluded.updated_by""")
                .execute(Tuple.of(workspace, days, clock.instant().atOffset(ZoneOffset.UTC), updatedBy))
                .replaceWith(new Policy(days, false));
    }

    @Scheduled(identity = "event-history-retention", every = "${kairos.profile.history.retention-every}",
            delayed = "${kairos.profile.history.retention-first-after}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledPass() {
        return enforce().invoke(done -> {
            if (!done.partitionsCreated().isEmpty() || !done.partitionsDropped().isEmpty() || done.eventsDeleted() > 0) {
                LOG.infof("event history retention: partitions created %s, dropped %s; %d expired events deleted",
                        done.partitionsCreated(), done.partitionsDropped(), done.eventsDeleted());
            }
        }).onFailure().invoke(failure -> LOG.warn("event history retention pass failed; the next one retries", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass: partitions for this month and the next ones, then the expired history removed. */
    public Uni<Enforced> enforce() {
        Instant now = clock.instant();
        YearMonth thisMonth = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        List<String> created = new ArrayList<>();
        return Multi.createFrom().range(0, monthsAhead + 1)
                .onItem().transformToUniAndConcatenate(ahead -> createPartition(thisMonth.plusMonths(ahead))
                        .invoke(name -> {
                            if (name != null) {
                                created.add(name);
                            }
                        }))
                .collect().last()
                .chain(() -> pool.preparedQuery("select coalesce(min(days), $1), coalesce(max(days), $1) from history_retention")
                        .execute(Tuple.of(defaultDays)))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    int shortest = Math.min(defaultDays, row.getInteger(0));
                    int longest = Math.max(defaultDays, row.getInteger(1));
                    return dropExpiredPartitions(now, longest).chain(dropped -> deleteExpired(now, shortest)
                            .map(deleted -> new Enforced(created, dropped, deleted)));
                });
    }

    /** The month's partition's name when this call created it, else null. */
    private Uni<String> createPartition(YearMonth month) {
        return pool.preparedQuery("select ensure_profile_event_partition($1)")
                .execute(Tuple.of(month.atDay(1)))
                .map(rows -> rows.iterator().next().getBoolean(0) ? partitionName(month) : null);
    }

    /** Months whose every event is older than the longest retention go whole, without a scan. */
    private Uni<List<String>> dropExpiredPartitions(Instant now, int longestDays) {
        OffsetDateTime cutoff = now.atOffset(ZoneOffset.UTC).minusDays(longestDays);
        return pool.query("""
                        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                        where i.inhparent = 'profile_event'::regclass""").execute()
                .chain(rows -> {
                    List<YearMonth> expired = new ArrayList<>();
                    rows.forEach(row -> {
                        Matcher name = MONTHLY_PARTITION.matcher(row.getString(0));
                        if (name.matches()) {
                            YearMonth month = YearMonth.of(Integer.parseInt(name.group(1)), Integer.parseInt(name.group(2)));
                            if (!month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).isAfter(cutoff)) {
                                expired.add(month);
                            }
                        }
                    });
                    return Multi.createFrom().iterable(expired)
                            .onItem().transformToUniAndConcatenate(month -> pool.withTransaction(connection -> connection
                                    .preparedQuery("delete from recorded_message where occurred_at >= $1 and occurred_at < $2")
                                    .execute(Tuple.of(start(month), start(month.plusMonths(1))))
                                    .chain(() -> connection.query("drop table if exists " + partitionName(month)).execute()))
                                    .replaceWith(partitionName(month)))
                            .collect().asList();
                });
    }

    /** Each workspace's events older than its own retention; only the months older than the shortest retention are searched. */
    private Uni<Long> deleteExpired(Instant now, int shortestDays) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        Tuple parameters = Tuple.of(at.minusDays(shortestDays), at, defaultDays);
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        delete from recorded_message m where m.occurred_at < $1::timestamptz
                          and m.occurred_at < $2::timestamptz - make_interval(days => coalesce(
                            (select r.days from history_retention r where r.workspace = m.workspace), $3::int))""")
                .execute(parameters)
                .chain(() -> connection.preparedQuery("""
                        delete from profile_event e where e.occurred_at < $1::timestamptz
                          and e.occurred_at < $2::timestamptz - make_interval(days => coalesce(
                            (select r.days from history_retention r where r.workspace = e.workspace), $3::int))""")
                        .execute(parameters))
                .map(rows -> (long) rows.rowCount()));
    }

    private static String partitionName(YearMonth month) {
        return "profile_event_%04d_%02d".formatted(month.getYear(), month.getMonthValue());
    }

    private static OffsetDateTime start(YearMonth month) {
        LocalDate first = month.atDay(1);
        return first.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
