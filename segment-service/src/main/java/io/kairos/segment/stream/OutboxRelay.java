package io.kairos.segment.stream;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

/**
 * Publishes membership changes that stayed in the outbox because the publish right after the
 * database change failed (Kafka unavailable, crash in between). Only changes older than
 * {@code relay-after} are touched, so the regular path is not raced.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    Pool pool;

    @Inject
    MembershipPublisher publisher;

    @Inject
    Clock clock;

    @ConfigProperty(name = "kairos.segment.outbox.relay-after")
    Duration relayAfter;

    @Scheduled(every = "${kairos.segment.outbox.relay-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return pool.preparedQuery("""
                        select distinct workspace, profile_id from membership_outbox
                        where created_at < $1 limit 100""")
                .execute(Tuple.of(clock.instant().minus(relayAfter).atOffset(ZoneOffset.UTC)))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> {
                    String workspace = row.getString("workspace");
                    String profileId = row.getString("profile_id");
                    return publisher.publishPending(workspace, profileId)
                            .onFailure().invoke(e -> LOG.warnf(e, "membership changes of %s:%s still unpublished", workspace, profileId))
                            .onFailure().recoverWithNull();
                })
                .collect().last()
                .onFailure().invoke(e -> LOG.warnf(e, "membership outbox relay failed; retrying on the next run"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
