package io.kairos.segment.store;

import io.kairos.api.profile.HistoryRetentions;
import io.kairos.api.profile.ListHistoryRetentionsRequest;
import io.kairos.api.profile.MutinyProfileServiceGrpc;
import io.kairos.api.profile.WorkspaceRetention;
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
import java.util.concurrent.TimeUnit;

/**
 * The kept events are copies of the profile's history, so they are kept no longer than the
 * workspace's history retention, which profile-service owns. While profile-service cannot be asked,
 * nothing is deleted and the next pass tries again.
 */
@ApplicationScoped
public class KeptEventRetention {

    private static final Logger LOG = Logger.getLogger(KeptEventRetention.class);

    @GrpcClient("profiles")
    MutinyProfileServiceGrpc.MutinyProfileServiceStub profiles;

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    @Scheduled(identity = "kept-event-retention", every = "${kairos.segment.retention-every}",
            delayed = "${kairos.segment.retention-first-after}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduledPass() {
        return enforce()
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("kept event retention: %d expired events deleted", deleted);
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("kept event retention pass failed; the next one retries: %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass. @return how many kept events were deleted */
    public Uni<Long> enforce() {
        return profiles.withDeadlineAfter(10, TimeUnit.SECONDS)
                .listHistoryRetentions(ListHistoryRetentionsRequest.getDefaultInstance())
                .chain(this::deleteExpired);
    }

    private Uni<Long> deleteExpired(HistoryRetentions retentions) {
        String[] workspaces = retentions.getWorkspacesList().stream().map(WorkspaceRetention::getWorkspace).toArray(String[]::new);
        Integer[] days = retentions.getWorkspacesList().stream().map(WorkspaceRetention::getDays).toArray(Integer[]::new);
        int shortest = retentions.getWorkspacesList().stream().mapToInt(WorkspaceRetention::getDays)
                .reduce(retentions.getDefaultDays(), Math::min);
        // The shortest retention bounds the scan to old rows (profile_event_age); each row then meets its own.
        return pool.preparedQuery("""
                        delete from profile_event e
                        where e.occurred_at < $3::timestamptz - make_interval(days => $5)
                          and e.occurred_at < $3::timestamptz - make_interval(days => coalesce(
                              (select o.days from unnest($1::text[], $2::int[]) as o(workspace, days)
                               where o.workspace = e.workspace), $4))""")
                .execute(Tuple.from(new Object[]{workspaces, days, clock.instant().atOffset(ZoneOffset.UTC),
                        retentions.getDefaultDays(), shortest}))
                .map(deleted -> (long) deleted.rowCount());
    }
}
