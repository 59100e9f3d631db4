package io.kairos.consent.store;

import io.kairos.consent.domain.Channel;
import io.kairos.consent.domain.ConsentChange;
import io.kairos.consent.domain.ConsentEntry;
import io.kairos.consent.domain.ConsentQuery;
import io.kairos.consent.domain.ConsentStatus;
import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.ProfileConsents;
import io.kairos.consent.domain.Purpose;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** The consent ledger in PostgreSQL: appends records and reads them back, always within one workspace. */
@ApplicationScoped
public class ConsentLedger implements PanacheRepositoryBase<ConsentRecordEntity, Long> {

    @WithTransaction
    public Uni<ConsentEntry> append(ConsentChange change, Instant recordedAt) {
        ConsentRecordEntity row = new ConsentRecordEntity();
        row.workspace = change.subject().workspace();
        row.profileId = change.subject().profileId();
        row.purpose = change.purpose().wireName();
        row.channel = change.channel().wireName();
        row.status = change.status().wireName();
        row.source = change.source();
        row.recordedAt = recordedAt;
        return persist(row).map(ConsentLedger::toEntry);
    }

    @WithSession
    public Uni<ProfileConsents> profile(ConsentSubject subject) {
        return list("workspace = ?1 and profileId = ?2 order by recordedAt, id", subject.workspace(), subject.profileId())
                .map(rows -> new ProfileConsents(rows.stream().map(ConsentLedger::toEntry).toList()));
    }

    /**
     * The records that can decide {@code query}: one query on the (workspace, profile_id, purpose,
     * recorded_at) index. The policy applies the same filters again; this only keeps the read small.
     */
    @WithSession
    public Uni<List<ConsentEntry>> recordsDeciding(ConsentSubject subject, ConsentQuery query) {
        return list("workspace = ?1 and profileId = ?2 and purpose = ?3 and channel in ?4 and recordedAt <= ?5",
                subject.workspace(), subject.profileId(), query.purpose().wireName(),
                List.of(query.channel().wireName(), Channel.ALL.wireName()), query.at())
                .map(rows -> rows.stream().map(ConsentLedger::toEntry).toList());
    }

    private static ConsentEntry toEntry(ConsentRecordEntity row) {
        return new ConsentEntry(
                Purpose.parse(row.purpose, "purpose"),
                Channel.parse(row.channel, "channel"),
                ConsentStatus.parse(row.status, "status"),
                row.source,
                row.recordedAt,
                row.id);
    }
}
