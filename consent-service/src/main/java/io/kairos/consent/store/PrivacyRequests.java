package io.kairos.consent.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.PrivacyAuditEntry;
import io.kairos.consent.domain.PrivacyProgress;
import io.kairos.consent.domain.PrivacyRequest;
import io.kairos.consent.domain.PrivacyRequestFile;
import io.kairos.consent.domain.PrivacyRequestKind;
import io.kairos.consent.domain.ServiceReport;
import io.kairos.consent.domain.UnknownPrivacyRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Privacy requests in PostgreSQL: the request, each service's latest report and the append-only audit
 * log, always read within one workspace. Every change to a request and its audit entry commit together.
 */
@ApplicationScoped
public class PrivacyRequests {

    private static final String COLUMNS = "id, workspace, profile_id, kind, requested_by, note, jurisdiction, services,"
            + " requested_at, deadline, completed_at";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Inject
    Pool pool;

    /** The submission's result: the stored request, and whether it is new or an open one answered again. */
    public record Submitted(PrivacyRequest request, boolean created) {
    }

    /** Records a new request with its audit entry, or answers the open one of the same profile and kind. */
    public Uni<Submitted> submit(PrivacyRequest request) {
        // The open request that stood in the way may complete before it is read: then ask once more.
        return insertOrAnswer(request)
                .onItem().ifNull().switchTo(() -> insertOrAnswer(request))
                .onItem().ifNull().failWith(() -> new IllegalStateException(
                        "privacy request of " + request.subject().profileId() + " neither recorded nor found open"));
    }

    /** Null when the open request that kept this one out completed in between. */
    private Uni<Submitted> insertOrAnswer(PrivacyRequest request) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        insert into privacy_request (id, workspace, profile_id, kind, requested_by, note, jurisdiction,
                                                     services, requested_at, deadline)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        on conflict (workspace, profile_id, kind) where completed_at is null do nothing""")
                .execute(Tuple.from(new Object[]{request.id(), request.subject().workspace(), request.subject().profileId(),
                        request.kind().wireName(), request.requestedBy(), request.note(), request.jurisdiction(),
                        request.services().toArray(String[]::new), utc(request.requestedAt()), utc(request.deadline())}))
                .chain(inserted -> inserted.rowCount() == 1
                        ? audit(conn, request.id(), request.requestedAt(), request.requestedBy(), "submitted",
                        request.kind().wireName() + " under " + request.jurisdiction() + ", due "
                                + request.deadline() + (request.note().isEmpty() ? "" : "; " + request.note()))
                        .replaceWith(new Submitted(request, true))
                        : conn.preparedQuery("select " + COLUMNS + " from privacy_request"
                                        + " where workspace = $1 and profile_id = $2 and kind = $3 and completed_at is null")
                        .execute(Tuple.of(request.subject().workspace(), request.subject().profileId(), request.kind().wireName()))
                        .map(rows -> rows.size() == 0 ? null : new Submitted(request(rows.iterator().next()), false))));
    }

    /** Notes that Kafka has the request; the first time only, with an audit entry. */
    public Uni<Void> markPublished(PrivacyRequest request, String topic, Instant at) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("update privacy_request set published_at = $2 where id = $1 and published_at is null")
                .execute(Tuple.of(request.id(), utc(at)))
                .chain(updated -> updated.rowCount() == 1
                        ? audit(conn, request.id(), at, "consent-service", "published", "on " + topic)
                        : Uni.createFrom().voidItem()));
    }

    /** Requests submitted before {@code before} that Kafka does not have yet, oldest first. */
    public Uni<List<PrivacyRequest>> unpublished(Instant before, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from privacy_request where published_at is null and requested_at < $1"
                        + " order by requested_at limit $2")
                .execute(Tuple.of(utc(before), limit))
                .map(rows -> {
                    List<PrivacyRequest> requests = new ArrayList<>();
                    rows.forEach(row -> requests.add(request(row)));
                    return requests;
                });
    }

    /**
     * Records a service's report, unless it repeats the stored one or the request is already
     * completed; completes the request when every service has reported done. {@code parse} validates the report against the request it is for.
     */
    public Uni<PrivacyRequestFile> report(String workspace, UUID requestId, Function<PrivacyRequest, ServiceReport> parse) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("select " + COLUMNS + " from privacy_request where workspace = $1 and id = $2 for update")
                .execute(Tuple.of(workspace, requestId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(new UnknownPrivacyRequest(workspace, requestId.toString()));
                    }
                    PrivacyRequest request = request(rows.iterator().next());
                    ServiceReport report = parse.apply(request);
                    return file(conn, request).chain(before -> {
                        // A completed request is closed: a late or redelivered report changes nothing.
                        if (request.completedAt().isPresent() || before.report(report.service()).filter(report::repeats).isPresent()) {
                            return Uni.createFrom().item(before);
                        }
                        Uni<Void> recorded = record(conn, request, report);
                        if (before.withReport(report).progress() == PrivacyProgress.COMPLETED) {
                            recorded = recorded.chain(() -> complete(conn, request, report.reportedAt()));
                        }
                        return recorded.chain(() -> file(conn, requestId, workspace));
                    });
                }));
    }

    /** The profile's open request of that kind, else its latest one, when there is any. */
    public Uni<Optional<PrivacyRequestFile>> latest(ConsentSubject subject, PrivacyRequestKind kind) {
        return pool.withConnection(conn -> conn.preparedQuery("select " + COLUMNS + " from privacy_request"
                        + " where workspace = $1 and profile_id = $2 and kind = $3"
                        + " order by completed_at is null desc, requested_at desc limit 1")
                .execute(Tuple.of(subject.workspace(), subject.profileId(), kind.wireName()))
                .chain(rows -> rows.size() == 0
                        ? Uni.createFrom().item(Optional.<PrivacyRequestFile>empty())
                        : file(conn, request(rows.iterator().next())).map(Optional::of)));
    }

    public Uni<PrivacyRequestFile> file(String workspace, UUID requestId) {
        return pool.withConnection(conn -> file(conn, requestId, workspace));
    }

    /** The workspace's requests newest first, after the cursor (requested at, id) when given. */
    public Uni<List<PrivacyRequestFile>> list(String workspace, boolean overdueOnly, Instant now, int limit,
                                              Optional<PageCursor> after) {
        String sql = "select " + COLUMNS + " from privacy_request where workspace = $1"
                + (overdueOnly ? " and completed_at is null and deadline < $2" : " and $2::timestamptz is not null")
                + (after.isPresent() ? " and (requested_at, id) < ($4, $5)" : " and $4::timestamptz is null and $5::uuid is null")
                + " order by requested_at desc, id desc limit $3";
        return pool.withConnection(conn -> conn.preparedQuery(sql)
                .execute(Tuple.from(new Object[]{workspace, utc(now), limit,
                        after.map(cursor -> utc(cursor.requestedAt())).orElse(null), after.map(PageCursor::id).orElse(null)}))
                .chain(rows -> {
                    List<PrivacyRequest> requests = new ArrayList<>();
                    rows.forEach(row -> requests.add(request(row)));
                    return files(conn, requests);
                }));
    }

    /**
     * Removes the data of exports completed before {@code completedBefore}, noting it in each one's
     * audit log. @return how many requests lost their data
     */
    public Uni<Integer> expireExports(Instant completedBefore, Instant now) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        with expired as (
                            update privacy_request_report r set export_json = null
                            from privacy_request q
                            where q.id = r.request_id and q.kind = 'export' and q.completed_at < $1 and r.export_json is not null
                            returning r.request_id)
                        insert into privacy_request_audit (request_id, at, actor, action, detail)
                        select distinct request_id, $2::timestamptz, 'consent-service', 'expired', 'export data removed after its retention'
                        from expired""")
                .execute(Tuple.of(utc(completedBefore), utc(now)))
                .map(inserted -> inserted.rowCount()));
    }

    /** Where a page of requests ends. */
    public record PageCursor(Instant requestedAt, UUID id) {
    }

    /** The completed export's data by service: {"profile-service": {...}, ...}; empty once it expired. */
    public static Optional<JsonNode> export(PrivacyRequestFile file) {
        if (file.request().kind() != PrivacyRequestKind.EXPORT || file.progress() != PrivacyProgress.COMPLETED) {
            return Optional.empty();
        }
        var data = JSON.createObjectNode();
        file.reports().forEach(report -> report.export().ifPresent(export -> data.set(report.service(), export)));
        // Nothing left once the data expired.
        return data.isEmpty() ? Optional.empty() : Optional.of(data);
    }

    private Uni<PrivacyRequestFile> file(SqlConnection conn, UUID requestId, String workspace) {
        return conn.preparedQuery("select " + COLUMNS + " from privacy_request where workspace = $1 and id = $2")
                .execute(Tuple.of(workspace, requestId))
                .chain(rows -> rows.size() == 0
                        ? Uni.createFrom().failure(new UnknownPrivacyRequest(workspace, requestId.toString()))
                        : file(conn, request(rows.iterator().next())));
    }

    private Uni<PrivacyRequestFile> file(SqlConnection conn, PrivacyRequest request) {
        return files(conn, List.of(request)).map(List::getFirst);
    }

    /** The requests with their reports and audit logs: two queries, however many requests. */
    private Uni<List<PrivacyRequestFile>> files(SqlConnection conn, List<PrivacyRequest> requests) {
        if (requests.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] ids = requests.stream().map(PrivacyRequest::id).toArray(UUID[]::new);
        Map<UUID, List<ServiceReport>> reports = new HashMap<>();
        Map<UUID, List<PrivacyAuditEntry>> audits = new HashMap<>();
        return conn.preparedQuery("""
                        select request_id, service, outcome, detail, export_json::text as export, reported_at
                        from privacy_request_report where request_id = any($1)""")
                .execute(Tuple.of(ids))
                .invoke(rows -> rows.forEach(row -> reports.computeIfAbsent(row.getUUID("request_id"), id -> new ArrayList<>())
                        .add(new ServiceReport(row.getString("service"), ServiceReport.Outcome.parse(row.getString("outcome")),
                                row.getString("detail"), Optional.ofNullable(row.getString("export")).map(PrivacyRequests::readJson),
                                instant(row, "reported_at")))))
                .chain(() -> conn.preparedQuery("""
                                select request_id, at, actor, action, detail from privacy_request_audit
                                where request_id = any($1) order by seq""")
                        .execute(Tuple.of(ids)))
                .map(rows -> {
                    rows.forEach(row -> audits.computeIfAbsent(row.getUUID("request_id"), id -> new ArrayList<>())
                            .add(new PrivacyAuditEntry(instant(row, "at"), row.getString("actor"), row.getString("action"),
                                    row.getString("detail"))));
                    return requests.stream().map(request -> new PrivacyRequestFile(request,
                            reports.getOrDefault(request.id(), List.of()), audits.getOrDefault(request.id(), List.of()))).toList();
                });
    }

    private static Uni<Void> record(SqlConnection conn, PrivacyRequest request, ServiceReport report) {
        return conn.preparedQuery("""
                        insert into privacy_request_report (request_id, service, outcome, detail, export_json, reported_at)
                        values ($1, $2, $3, $4, $5::text::jsonb, $6)
                        on conflict (request_id, service) do update set outcome = excluded.outcome, detail = excluded.detail,
                            export_json = excluded.export_json, reported_at = excluded.reported_at""")
                .execute(Tuple.from(new Object[]{request.id(), report.service(), report.outcome().wireName(), report.detail(),
                        report.export().map(JsonNode::toString).orElse(null), utc(report.reportedAt())}))
                .chain(() -> audit(conn, request.id(), report.reportedAt(), report.service(), "reported",
                        report.outcome().wireName() + (report.detail().isEmpty() ? "" : ": " + report.detail())));
    }

    private static Uni<Void> complete(SqlConnection conn, PrivacyRequest request, Instant at) {
        return conn.preparedQuery("update privacy_request set completed_at = $2 where id = $1")
                .execute(Tuple.of(request.id(), utc(at)))
                .chain(() -> audit(conn, request.id(), at, "consent-service", "completed",
                        "every service reported done: " + String.join(", ", request.services())));
    }

    private static Uni<Void> audit(SqlConnection conn, UUID requestId, Instant at, String actor, String action, String detail) {
        return conn.preparedQuery("insert into privacy_request_audit (request_id, at, actor, action, detail) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(requestId, utc(at), actor, action, detail))
                .replaceWithVoid();
    }

    private static PrivacyRequest request(Row row) {
        return new PrivacyRequest(row.getUUID("id"), new ConsentSubject(row.getString("workspace"), row.getString("profile_id")),
                PrivacyRequestKind.parse(row.getString("kind")), row.getString("requested_by"), row.getString("note"),
                row.getString("jurisdiction"), instant(row, "requested_at"), instant(row, "deadline"),
                Arrays.asList(row.getArrayOfStrings("services")),
                Optional.ofNullable(row.getOffsetDateTime("completed_at")).map(OffsetDateTime::toInstant));
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
