package io.kairos.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A workspace's history retention, set once through the gateway, is enforced by every service that
 * keeps its events: profile-service's history and segment-service's kept events lose what is older
 * (the suite runs the retention passes every few seconds), and other workspaces keep theirs.
 */
class HistoryRetentionIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Admin admin;

    @BeforeAll
    static void startSuite() throws Exception {
        KairosSuite.start();
        admin = new Admin(Keycloak.token("admin"));
    }

    @Test
    void eventsOlderThanTheWorkspacesRetentionLeaveProfileAndSegmentServiceButNotOtherWorkspaces() throws Exception {
        String shortLived = admin.newWorkspace();
        String keepsDefault = admin.newWorkspace();
        String shortLivedProfile = customerWithAnOldAndARecentOrder(shortLived);
        String keepsDefaultProfile = customerWithAnOldAndARecentOrder(keepsDefault);
        assertThat(segmentServiceEvents(shortLived, shortLivedProfile)).containsExactlyInAnyOrder("m-old", "m-new");

        admin.put("{ws}/history-retention", Map.of("days", 30), shortLived).then().statusCode(200);

        await("profile-service's retention pass").atMost(DEADLINE).until(() -> history(shortLived, shortLivedProfile),
                List.of("m-new")::equals);
        await("segment-service's retention pass").atMost(DEADLINE).until(() -> segmentServiceEvents(shortLived, shortLivedProfile),
                List.of("m-new")::equals);
        assertThat(history(keepsDefault, keepsDefaultProfile)).containsExactlyInAnyOrder("m-old", "m-new");
        assertThat(segmentServiceEvents(keepsDefault, keepsDefaultProfile)).containsExactlyInAnyOrder("m-old", "m-new");
    }

    /** A buyer with an order 45 days ago and one now, in a segment that keeps orders for a year. */
    private static String customerWithAnOldAndARecentOrder(String ws) {
        String writeKey = admin.newWriteKey(ws, "web");
        admin.post("{ws}/segments", Map.of("name", "Buyers this year",
                "condition", Map.of("event", "Order Completed", "within", "P365D")), ws).then().statusCode(201);
        Admin.ingest(writeKey, "track", Map.of("userId", "u-1", "messageId", "m-old", "event", "Order Completed",
                "timestamp", Instant.now().minus(Duration.ofDays(45)).toString())).then().statusCode(200);
        Admin.ingest(writeKey, "track", Map.of("userId", "u-1", "messageId", "m-new", "event", "Order Completed")).then().statusCode(200);
        String profileId = await("profile").atMost(DEADLINE).ignoreExceptions().until(() ->
                admin.get("{ws}/profiles?identifier=userId:u-1", ws).then().statusCode(200).extract().<String>path("id"),
                id -> id != null);
        await("both orders in the history").atMost(DEADLINE).until(() -> history(ws, profileId).size() == 2);
        return profileId;
    }

    private static List<String> history(String ws, String profileId) {
        return admin.get("{ws}/profiles/{id}/events", ws, profileId).then().statusCode(200).extract().path("events.messageId");
    }

    /** What segment-service keeps, as a data subject's export shows it. */
    private static List<String> segmentServiceEvents(String ws, String profileId) throws Exception {
        String requestId = admin.post("{ws}/privacy-requests", Map.of("profileId", profileId, "kind", "export"), ws)
                .then().statusCode(202).extract().path("id");
        JsonNode request = await("export " + requestId).atMost(DEADLINE).until(
                () -> JSON.readTree(admin.get("{ws}/privacy-requests/{id}", ws, requestId).then().statusCode(200).extract().asString()),
                status -> status.path("state").asText().equals("completed"));
        List<String> messageIds = new ArrayList<>();
        request.at("/export/segment-service/events").forEach(event -> messageIds.add(event.path("messageId").asText()));
        return messageIds;
    }
}
