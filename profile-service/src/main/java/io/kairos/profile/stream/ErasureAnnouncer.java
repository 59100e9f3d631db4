package io.kairos.profile.stream;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the ProfileDeleted of erasures whose tombstone is still pending, then marks it
 * published. Called right after an erasure commits; the relay retries what that first attempt
 * could not publish (Kafka unavailable, crash after the commit), touching only tombstones older
 * than {@code relay-after} so the first attempt is not raced. A duplicate announcement is harmless:
 * purging twice is purging.
 */
@ApplicationScoped
public class ErasureAnnouncer {

    static final String REASON_ERASURE = "erasure";
    static final String REASON_ERASURE_SUPPRESSED = "erasure-suppressed";

    private static final Logger LOG = Logger.getLogger(ErasureAnnouncer.class);
    private static final String PENDING_COLUMNS = "workspace, profile_id, deleted_at, suppressed";

    @Inject
    Pool pool;

    @Inject
    ResolvedEventPublisher publisher;

    @Inject
    Clock clock;

    @ConfigProperty(name = "kairos.profile.erasure.relay-after")
    Duration relayAfter;

    /** Starts publishing the profile's pending announcement, if any, without making the caller wait for Kafka. */
    public void announceSoon(String workspace, UUID profileId) {
        pool.preparedQuery("select " + PENDING_COLUMNS + " from deleted_profile"
                        + " where workspace = $1 and profile_id = $2 and published_at is null")
                .execute(Tuple.of(workspace, profileId))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(this::announce)
                .collect().last()
                .subscribe().with(ignored -> {
                }, failure -> LOG.warnf(failure, "ProfileDeleted of %s:%s not published yet; the relay retries it",
                        workspace, profileId));
    }

    @Scheduled(every = "${kairos.profile.erasure.relay-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return pool.preparedQuery("select " + PENDING_COLUMNS + " from deleted_profile"
                        + " where published_at is null and deleted_at < $1 order by deleted_at limit 100")
                .execute(Tuple.of(clock.instant().minus(relayAfter).atOffset(ZoneOffset.UTC)))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> announce(row)
                        .onFailure().invoke(e -> LOG.warnf(e, "ProfileDeleted of %s:%s still unpublished",
                                row.getString("workspace"), row.getUUID("profile_id")))
                        .onFailure().recoverWithNull())
                .collect().last()
                .onFailure().invoke(e -> LOG.warnf(e, "erasure announcement relay failed; retrying on the next run"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> announce(Row pending) {
        String workspace = pending.getString("workspace");
        UUID profileId = pending.getUUID("profile_id");
        String reason = pending.getBoolean("suppressed") ? REASON_ERASURE_SUPPRESSED : REASON_ERASURE;
        return publisher.publishDeletion(workspace, profileId, pending.getOffsetDateTime("deleted_at").toInstant(), reason)
                .chain(() -> pool.preparedQuery("update deleted_profile set published_at = $1"
                                + " where workspace = $2 and profile_id = $3 and published_at is null")
                        .execute(Tuple.of(clock.instant().atOffset(ZoneOffset.UTC), workspace, profileId)))
                .replaceWithVoid();
    }
}
