package io.kairos.trigger.store;

import io.kairos.api.profile.HistoryRetentions;
import io.kairos.api.profile.ListHistoryRetentionsRequest;
import io.kairos.api.profile.MutinyProfileServiceGrpc;
import io.kairos.api.profile.WorkspaceRetention;
import io.kairos.trigger.config.TriggerConfig;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The delivery log is part of the profile's history, so it is kept no longer than the workspace's
 * history retention, which profile-service owns, but never less than {@code min-days}: a delivery
 * is also what keeps a replayed event from firing twice, so it outlives the events Kafka may still
 * redeliver. While profile-service cannot be asked, nothing is deleted and the next pass tries again.
 */
@ApplicationScoped
public class DeliveryRetention {

    private static final Logger LOG = Logger.getLogger(DeliveryRetention.class);

    @GrpcClient("profiles")
    MutinyProfileServiceGrpc.MutinyProfileServiceStub profiles;

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    @Inject
    TriggerConfig config;

    @Scheduled(identity = "delivery-retention", every = "${kairos.trigger.delivery-retention.every}",
            delayed = "${kairos.trigger.delivery-retention.first-after}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduledPass() {
        return enforce()
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("delivery retention: %d expired deliveries deleted", deleted);
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("delivery retention pass failed; the next one retries: %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass. @return how many deliveries were deleted */
    public Uni<Long> enforce() {
        return profiles.withDeadlineAfter(10, TimeUnit.SECONDS)
                .listHistoryRetentions(ListHistoryRetentionsRequest.getDefaultInstance())
                .chain(this::deleteExpired);
    }

    private Uni<Long> deleteExpired(HistoryRetentions retentions) {
        int minDays = config.deliveryRetention().minDays();
        String[] workspaces = retentions.getWorkspacesList().stream().map(WorkspaceRetention::getWorkspace).toArray(String[]::new);
        Integer[] days = retentions.getWorkspacesList().stream().map(retention -> Math.max(minDays, retention.getDays()))
                .toArray(Integer[]::new);
        int defaultDays = Math.max(minDays, retentions.getDefaultDays());
        int shortest = Arrays.stream(days).mapToInt(Integer::intValue).reduce(defaultDays, Math::min);
        // The shortest retention bounds the scan to old rows (delivery_age); each row then meets its own.
        return pool.preparedQuery("""
                        delete from delivery d
                        where d.fired_at < $3::timestamptz - make_interval(days => $5)
                          and d.fired_at < $3::timestamptz - make_interval(days => coalesce(
                              (select o.days from unnest($1::text[], $2::int[]) as o(workspace, days)
                               where o.workspace = d.workspace), $4))""")
                .execute(Tuple.from(new Object[]{workspaces, days, clock.instant().atOffset(ZoneOffset.UTC), defaultDays, shortest}))
                .map(deleted -> (long) deleted.rowCount());
    }
}
