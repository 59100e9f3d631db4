package io.kairos.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.api.profile.HistoryRetentions;
import io.kairos.api.profile.ListHistoryRetentionsRequest;
import io.kairos.api.profile.ProfileServiceGrpc;
import io.kairos.api.profile.WorkspaceRetention;
import io.kairos.profile.domain.EventType;
import io.kairos.profile.domain.IdentityRules;
import io.kairos.profile.domain.ObservedEvent;
import io.kairos.profile.store.EventBatchRecorder;
import io.kairos.profile.store.EventRetention;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Event history lives in monthly partitions, and each workspace's retention removes what is older than it. */
@QuarkusTest
class EventRetentionTest {

    @Inject
    EventBatchRecorder recorder;

    @Inject
    EventRetention retention;

    @Inject
    DataSource database;

    @Inject
    Clock clock;

    @GrpcClient("profile")
    ProfileServiceGrpc.ProfileServiceBlockingStub profiles;

    @Test
    void eventsOlderThanTheWorkspacesRetentionAreRemovedAndOtherWorkspacesKeepTheirs() throws Throwable {
        Instant now = clock.instant();
        String shortLived = RawEvents.workspace();
        String keepsDefault = RawEvents.workspace();
        record(event(shortLived, "old", now.minus(Duration.ofDays(45))), event(shortLived, "recent", now.minus(Duration.ofDays(5))),
                event(keepsDefault, "old", now.minus(Duration.ofDays(45))));
        VertxContextSupport.subscribeAndAwait(() -> retention.set(shortLived, 30, "test"));

        EventRetention.Enforced pass = VertxContextSupport.subscribeAndAwait(() -> retention.enforce());

        assertThat(pass.eventsDeleted()).isGreaterThanOrEqualTo(1);
        assertThat(messages(shortLived)).containsExactly("recent");
        assertThat(messages(keepsDefault)).as("the default retention is 730 days").containsExactly("old");
        assertThat(count("select count(*) from recorded_message where workspace = ?", shortLived))
                .as("the idempotency key goes with the event").isEqualTo(1);
        assertThat(VertxContextSupport.subscribeAndAwait(() -> retention.of(shortLived)))
                .isEqualTo(new EventRetention.Policy(30, false));
        assertThat(VertxContextSupport.subscribeAndAwait(() -> retention.of(keepsDefault)))
                .isEqualTo(new EventRetention.Policy(730, true));
    }

    @Test
    void theOtherServicesLearnEveryWorkspacesOwnRetentionAndTheDefault() throws Throwable {
        String shortLived = RawEvents.workspace();
        String keepsDefault = RawEvents.workspace();
        VertxContextSupport.subscribeAndAwait(() -> retention.set(shortLived, 12, "test"));

        HistoryRetentions all = profiles.listHistoryRetentions(ListHistoryRetentionsRequest.getDefaultInstance());

        assertThat(all.getDefaultDays()).isEqualTo(730);
        assertThat(all.getWorkspacesList()).contains(WorkspaceRetention.newBuilder().setWorkspace(shortLived).setDays(12).build());
        assertThat(all.getWorkspacesList()).extracting(WorkspaceRetention::getWorkspace).doesNotContain(keepsDefault);
    }

    @Test
    void eachEventIsStoredInItsMonthsPartitionAndTheNextMonthsArePrepared() throws Throwable {
        Instant now = clock.instant();
        String ws = RawEvents.workspace();
        VertxContextSupport.subscribeAndAwait(() -> retention.enforce());
        record(event(ws, "now", now), event(ws, "far-future", now.plus(Duration.ofDays(3650))));

        YearMonth thisMonth = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        assertThat(partitionOf(ws, "now")).isEqualTo(partition(thisMonth));
        assertThat(partitionOf(ws, "far-future")).as("no month partition that far ahead").isEqualTo("profile_event_default");
        for (int ahead = 1; ahead <= 3; ahead++) {
            assertThat(count("select count(*) from pg_class where relname = ?", partition(thisMonth.plusMonths(ahead))))
                    .as("partition %d months ahead", ahead).isEqualTo(1);
        }
    }

    @Test
    void aMonthsPartitionTakesOverItsRowsFromTheDefaultOneAndGoesWholeOnceEveryRetentionPassedIt() throws Throwable {
        String ws = RawEvents.workspace();
        record(event(ws, "in-2002", Instant.parse("2002-03-09T08:00:00Z")));
        assertThat(partitionOf(ws, "in-2002")).isEqualTo("profile_event_default");

        try (Connection connection = database.getConnection();
                PreparedStatement create = connection.prepareStatement("select ensure_profile_event_partition('2002-03-01')")) {
            create.execute();
        }
        assertThat(partitionOf(ws, "in-2002")).isEqualTo("profile_event_2002_03");

        EventRetention.Enforced pass = VertxContextSupport.subscribeAndAwait(() -> retention.enforce());

        assertThat(pass.partitionsDropped()).contains("profile_event_2002_03");
        assertThat(count("select count(*) from pg_class where relname = ?", "profile_event_2002_03")).isZero();
        assertThat(messages(ws)).isEmpty();
        assertThat(count("select count(*) from recorded_message where workspace = ?", ws)).isZero();
    }

    private void record(ObservedEvent... events) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> recorder.record(List.of(events), workspace -> IdentityRules.defaults()));
    }

    private static ObservedEvent event(String ws, String messageId, Instant at) {
        return new ObservedEvent(ws, messageId, EventType.TRACK, "Product Viewed", null, "anon-" + ws, null, null, null,
                "web", at, at, Map.of());
    }

    private static String partition(YearMonth month) {
        return "profile_event_%04d_%02d".formatted(month.getYear(), month.getMonthValue());
    }

    private String partitionOf(String ws, String messageId) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select tableoid::regclass::text from profile_event where workspace = ? and message_id = ?")) {
            query.setString(1, ws);
            query.setString(2, messageId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private List<String> messages(String ws) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select message_id from profile_event where workspace = ? order by occurred_at")) {
            query.setString(1, ws);
            List<String> messages = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    messages.add(rows.getString(1));
                }
            }
            return messages;
        }
    }

    private long count(String sql, String parameter) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
