package io.kairos.consent.store;

import io.kairos.consent.domain.Channel;
import io.kairos.consent.domain.ConsentChange;
import io.kairos.consent.domain.ConsentEntry;
import io.kairos.consent.domain.ConsentStatus;
import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.Origin;
import io.kairos.consent.domain.ProfileConsents;
import io.kairos.consent.domain.Proof;
import io.kairos.consent.domain.Purpose;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The consent ledger in PostgreSQL (consent_record): appends records and reads a profile's back,
 * always within one workspace. Records are never changed, except that a merge re-attaches them.
 */
@ApplicationScoped
public class ConsentLedger {

    static final String COLUMNS = "id, purpose, channel, status, source, origin, form_id, ip, user_agent, recorded_at, expires_at";

    @Inject
    Pool pool;

    public Uni<ConsentEntry> append(ConsentChange change, Instant recordedAt) {
        return pool.preparedQuery("insert into consent_record (workspace, profile_id, purpose, channel, status, source,"
                        + " origin, form_id, ip, user_agent, recorded_at, expires_at)"
                        + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning " + COLUMNS)
                .execute(Tuple.from(new Object[]{change.subject().workspace(), change.subject().profileId(),
                        change.purpose().wireName(), change.channel().wireName(), change.status().wireName(),
                        change.source(), change.origin().wireName(), change.proof().formId(), change.proof().ip(),
                        change.proof().userAgent(), utc(recordedAt), change.expiresAt().map(ConsentLedger::utc).orElse(null)}))
                .map(rows -> entry(rows.iterator().next()));
    }

    /**
     * Appends records read from events, in one statement; a record an event already appended (same
     * message, purpose and channel) is skipped, so a redelivered batch changes nothing.
     */
    public Uni<Integer> appendFromEvents(SqlClient client, List<EventConsent> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = records.size();
        String[] workspaces = new String[n], profiles = new String[n], purposes = new String[n], channels = new String[n],
                statuses = new String[n], sources = new String[n], origins = new String[n], forms = new String[n],
                ips = new String[n], agents = new String[n], messages = new String[n];
        OffsetDateTime[] recorded = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            EventConsent record = records.get(i);
            ConsentChange change = record.change();
            workspaces[i] = change.subject().workspace();
            profiles[i] = change.subject().profileId();
            purposes[i] = change.purpose().wireName();
            channels[i] = change.channel().wireName();
            statuses[i] = change.status().wireName();
            sources[i] = change.source();
            origins[i] = change.origin().wireName();
            forms[i] = change.proof().formId();
            ips[i] = change.proof().ip();
            agents[i] = change.proof().userAgent();
            messages[i] = record.messageId();
            recorded[i] = utc(record.recordedAt());
        }
        return client.preparedQuery("""
                        insert into consent_record (workspace, profile_id, purpose, channel, status, source, origin,
                            form_id, ip, user_agent, message_id, recorded_at)
                        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])
                        on conflict (workspace, profile_id, message_id, purpose, channel) where message_id is not null
                        do nothing""")
                .execute(Tuple.from(new Object[]{workspaces, profiles, purposes, channels, statuses, sources, origins,
                        forms, ips, agents, messages, recorded}))
                .map(result -> result.rowCount());
    }

    public Uni<ProfileConsents> profile(ConsentSubject subject) {
        return profiles(pool, subject.workspace(), List.of(subject.profileId()))
                .map(ledgers -> ledgers.get(subject.profileId()));
    }

    /** The ledgers of some profiles of one workspace in one query; a profile without records has an empty one. */
    static Uni<Map<String, ProfileConsents>> profiles(SqlClient client, String workspace, List<String> profileIds) {
        return client.preparedQuery("select profile_id, " + COLUMNS + " from consent_record"
                        + " where workspace = $1 and profile_id = any($2)")
                .execute(Tuple.of(workspace, profileIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, List<ConsentEntry>> entries = new HashMap<>();
                    profileIds.forEach(id -> entries.put(id, new ArrayList<>()));
                    rows.forEach(row -> entries.get(row.getString("profile_id")).add(entry(row)));
                    Map<String, ProfileConsents> ledgers = new HashMap<>();
                    entries.forEach((id, list) -> ledgers.put(id, new ProfileConsents(list)));
                    return ledgers;
                });
    }

    static ConsentEntry entry(Row row) {
        return new ConsentEntry(
                Purpose.parse(row.getString("purpose"), "purpose"),
                Channel.parse(row.getString("channel"), "channel"),
                ConsentStatus.parse(row.getString("status"), "status"),
                row.getString("source"),
                Origin.parse(row.getString("origin"), "origin"),
                new Proof(row.getString("form_id"), row.getString("ip"), row.getString("user_agent")),
                row.getOffsetDateTime("recorded_at").toInstant(),
                Optional.ofNullable(row.getOffsetDateTime("expires_at")).map(OffsetDateTime::toInstant),
                row.getLong("id"));
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
