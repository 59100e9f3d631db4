package io.kairos.trigger.store;

import io.kairos.trigger.testing.ScriptedProfileService;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Deliveries live no longer than their workspace's history retention, as profile-service tells it,
 * and at least the 7 days a replayed event could still fire again.
 */
@QuarkusTest
class DeliveryRetentionTest {

    @Inject
    DeliveryRetention retention;

    @Inject
    @GrpcService
    ScriptedProfileService profileService;

    @Inject
    Pool pool;

    @AfterEach
    void reachableAgain() {
        profileService.unavailable(false);
        profileService.defaultDays(730);
    }

    @Test
    void deliveriesOlderThanTheirWorkspacesRetentionAreDeletedButNoneYoungerThanTheReplayWindow() throws Throwable {
        Instant now = Instant.now();
        String shortLived = workspace();
        String oneDay = workspace();
        String keepsDefault = workspace();
        profileService.set(shortLived, 30);
        profileService.set(oneDay, 1);
        profileService.defaultDays(60);
        log(shortLived, "old", now.minus(Duration.ofDays(45)));
        log(shortLived, "recent", now.minus(Duration.ofDays(5)));
        log(oneDay, "last-week", now.minus(Duration.ofDays(8)));
        log(oneDay, "three-days-ago", now.minus(Duration.ofDays(3)));
        log(keepsDefault, "older-than-default", now.minus(Duration.ofDays(90)));
        log(keepsDefault, "within-default", now.minus(Duration.ofDays(45)));

        long deleted = VertxContextSupport.subscribeAndAwait(() -> retention.enforce());

        assertThat(deleted).isGreaterThanOrEqualTo(3);
        assertThat(logged(shortLived)).containsExactly("recent");
        assertThat(logged(oneDay)).as("kept 7 days whatever the retention").containsExactly("three-days-ago");
        assertThat(logged(keepsDefault)).containsExactly("within-default");
    }

    @Test
    void whileProfileServiceCannotBeAskedNothingIsDeleted() {
        String ws = workspace();
        profileService.set(ws, 1);
        log(ws, "old", Instant.now().minus(Duration.ofDays(400)));
        profileService.unavailable(true);

        Throwable failure = catchThrowable(() -> VertxContextSupport.subscribeAndAwait(() -> retention.enforce()));

        assertThat(failure).hasMessageContaining("UNAVAILABLE");
        assertThat(logged(ws)).containsExactly("old");
    }

    private static String workspace() {
        return "ws-" + UUID.randomUUID();
    }

    private void log(String ws, String cause, Instant firedAt) {
        pool.preparedQuery("""
                        insert into delivery (firing_id, workspace, trigger_id, profile_id, channel, cause_id, outcome,
                                              attempts, fired_at, recorded_at)
                        values ($1, $2, $3, 'p-1', 'email', $4, 'sent', 1, $5, $5)""")
                .execute(Tuple.from(new Object[]{UUID.randomUUID(), ws, UUID.randomUUID(), cause, firedAt.atOffset(ZoneOffset.UTC)}))
                .await().indefinitely();
    }

    private List<String> logged(String ws) {
        List<String> causes = new ArrayList<>();
        for (Row row : pool.preparedQuery("select cause_id from delivery where workspace = $1 order by fired_at")
                .execute(Tuple.of(ws)).await().indefinitely()) {
            causes.add(row.getString(0));
        }
        return causes;
    }
}
