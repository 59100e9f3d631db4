package io.kairos.segment.api;

import io.kairos.segment.store.KeptEventRetention;
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

import static io.kairos.segment.api.SegmentDefinitionGrpcTest.newWorkspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Kept events live no longer than their workspace's history retention, as profile-service tells it. */
@QuarkusTest
class KeptEventRetentionTest {

    @Inject
    KeptEventRetention retention;

    @Inject
    @GrpcService
    HistoryRetentionSource profileService;

    @Inject
    Pool pool;

    @AfterEach
    void reachableAgain() {
        profileService.unavailable(false);
        profileService.defaultDays(730);
    }

    @Test
    void eventsOlderThanTheirWorkspacesRetentionAreDeletedAndTheDefaultKeepsTheRest() throws Throwable {
        Instant now = Instant.now();
        String shortLived = newWorkspace();
        String keepsDefault = newWorkspace();
        profileService.set(shortLived, 30);
        profileService.defaultDays(60);
        keep(shortLived, "old", now.minus(Duration.ofDays(45)));
        keep(shortLived, "recent", now.minus(Duration.ofDays(5)));
        keep(keepsDefault, "older-than-default", now.minus(Duration.ofDays(90)));
        keep(keepsDefault, "within-default", now.minus(Duration.ofDays(45)));

        long deleted = VertxContextSupport.subscribeAndAwait(() -> retention.enforce());

        assertThat(deleted).isGreaterThanOrEqualTo(2);
        assertThat(kept(shortLived)).containsExactly("recent");
        assertThat(kept(keepsDefault)).containsExactly("within-default");
    }

    @Test
    void whileProfileServiceCannotBeAskedNothingIsDeleted() throws Throwable {
        String ws = newWorkspace();
        profileService.set(ws, 1);
        keep(ws, "old", Instant.now().minus(Duration.ofDays(400)));
        profileService.unavailable(true);

        Throwable failure = catchThrowable(() -> VertxContextSupport.subscribeAndAwait(() -> retention.enforce()));

        assertThat(failure).hasMessageContaining("UNAVAILABLE");
        assertThat(kept(ws)).containsExactly("old");
    }

    private void keep(String ws, String messageId, Instant at) {
        pool.preparedQuery("""
                        insert into profile_event (workspace, profile_id, message_id, name, occurred_at, properties_json)
                        values ($1, 'p-1', $2, 'Order Completed', $3, '{}'::jsonb)""")
                .execute(Tuple.of(ws, messageId, at.atOffset(ZoneOffset.UTC))).await().indefinitely();
    }

    private List<String> kept(String ws) {
        List<String> messages = new ArrayList<>();
        for (Row row : pool.preparedQuery("select message_id from profile_event where workspace = $1 order by occurred_at")
                .execute(Tuple.of(ws)).await().indefinitely()) {
            messages.add(row.getString(0));
        }
        return messages;
    }
}
