package io.kairos.e2e;

import io.restassured.common.mapper.TypeRef;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A segment edited through the gateway: its members follow the new version at once, entries are
 * announced (a segmentEntered trigger fires), stale or invalid edits change nothing; and an unsaved
 * definition is previewed over the workspace's profiles without being stored.
 */
class SegmentEditingIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static WebhookReceiver provider;
    private static Admin admin;

    @BeforeAll
    static void startSuite() throws Exception {
        KairosSuite.start();
        provider = new WebhookReceiver();
        admin = new Admin(Keycloak.token("admin"));
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    private static Map<String, Object> buyers(String within, int atLeast) {
        return Map.of("name", "Repeat buyers", "condition",
                Map.of("event", "Order Completed", "within", within, "count", Map.of("gte", atLeast)));
    }

    private static List<String> members(String ws, String segmentId) {
        return admin.get("{ws}/segments/{id}/members?pageSize=100", ws, segmentId)
                .then().statusCode(200).extract().path("members.profileId");
    }

    private static List<String> segmentsOf(String ws, String profileId) {
        return admin.get("{ws}/profiles/{id}/segments", ws, profileId)
                .then().statusCode(200).extract().path("segments.segmentId");
    }

    private static String profileOf(String ws, String userId) {
        return admin.get("{ws}/profiles?identifier=userId:" + userId, ws).then().statusCode(200).extract().path("id");
    }

    private static ExtractableResponse<Response> edit(String ws, String segmentId, String ifMatch, Object body) {
        return admin.request().header("If-Match", ifMatch).body(body)
                .put("/api/v1/workspaces/{ws}/segments/{id}", ws, segmentId).then().extract();
    }

    @Test
    void anEditedSegmentChangesItsMembersAndAPreviewStoresNothing() {
        String ws = admin.newWorkspace();
        String writeKey = admin.newWriteKey(ws, "web");
        String secret = "s3cret-" + ws;
        String known = admin.post("{ws}/segments", Map.of("name", "Known",
                "condition", Map.of("trait", "email", "exists", true)), ws).then().statusCode(201).extract().path("id");
        String repeat = admin.post("{ws}/segments", buyers("P1D", 2), ws).then().statusCode(201).extract().path("id");
        String welcome = admin.post("{ws}/triggers", Map.of(
                        "name", "Welcome, buyer",
                        "when", Map.of("segmentEntered", repeat),
                        "action", Map.of("channel", "email", "purpose", "marketing",
                                "webhook", Map.of("url", provider.url(), "secret", secret),
                                "template", Map.of("subject", "Thanks for coming back", "body", "Here is 10% off."))), ws)
                .then().statusCode(201).extract().path("id");

        // Two orders, one order, none; the identify (with an email) comes last for each customer.
        Map<String, Integer> orders = Map.of("u-1", 2, "u-2", 1, "u-3", 0);
        Map<String, String> plans = Map.of("u-1", "pro", "u-2", "free", "u-3", "pro");
        for (String user : List.of("u-1", "u-2", "u-3")) {
            for (int i = 0; i < orders.get(user); i++) {
                Admin.ingest(writeKey, "track", Map.of("userId", user, "event", "Order Completed",
                        "properties", Map.of("total", 40 + i))).then().statusCode(200);
            }
            Admin.ingest(writeKey, "identify", Map.of("userId", user,
                    "traits", Map.of("email", user + "@example.com", "plan", plans.get(user)))).then().statusCode(200);
        }
        await("every customer known").atMost(DEADLINE).until(() -> members(ws, known).size() == 3);
        String p1 = profileOf(ws, "u-1");
        String p2 = profileOf(ws, "u-2");
        String p3 = profileOf(ws, "u-3");
        assertThat(members(ws, repeat)).containsExactly(p1);
        await("welcome for u-1").atMost(DEADLINE).until(() -> provider.forTrigger(welcome).size() == 1);

        // 1. Widened: one order is enough now; u-2 enters at once and is welcomed too.
        admin.get("{ws}/segments/{id}", ws, repeat).then().statusCode(200)
                .header("ETag", "\"1\"").body("version", equalTo(1));
        ExtractableResponse<Response> widened = edit(ws, repeat, "\"1\"", buyers("P1D", 1));
        assertThat(widened.statusCode()).isEqualTo(200);
        assertThat(widened.header("ETag")).isEqualTo("\"2\"");
        assertThat(widened.<Integer>path("version")).isEqualTo(2);
        assertThat(widened.<Integer>path("condition.count.gte")).isEqualTo(1);
        assertThat(members(ws, repeat)).containsExactlyInAnyOrder(p1, p2);
        assertThat(segmentsOf(ws, p2)).contains(repeat);
        await("welcome for u-2").atMost(DEADLINE).until(() -> provider.forTrigger(welcome).size() == 2);
        assertThat(provider.forTrigger(welcome)).extracting(r -> r.json().path("profileId").asText())
                .containsExactly(p1, p2);

        // 2. A stale or invalid edit changes nothing.
        ExtractableResponse<Response> stale = edit(ws, repeat, "\"1\"", buyers("P1D", 3));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.<String>path("reason")).isEqualTo("VERSION_CONFLICT");
        ExtractableResponse<Response> invalid = edit(ws, repeat, "*", buyers("one day", 3));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.<String>path("reason")).isEqualTo("INVALID_DURATION");
        assertThat(invalid.<String>path("field")).isEqualTo("/condition/within");
        admin.get("{ws}/segments/{id}", ws, repeat).then().statusCode(200)
                .body("version", equalTo(2)).body("condition.count.gte", equalTo(1));
        assertThat(members(ws, repeat)).containsExactlyInAnyOrder(p1, p2);

        // 3. Narrowed by sending back what GET returned, changed: both leave.
        Map<String, Object> read = admin.get("{ws}/segments/{id}", ws, repeat).then().statusCode(200)
                .extract().as(new TypeRef<Map<String, Object>>() { });
        Map<String, Object> narrowed = new LinkedHashMap<>(read);
        narrowed.put("condition", buyers("P1D", 3).get("condition"));
        ExtractableResponse<Response> third = edit(ws, repeat, "\"2\"", narrowed);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(third.<Integer>path("version")).isEqualTo(3);
        assertThat(third.<String>path("createdAt")).isEqualTo(read.get("createdAt"));
        assertThat(members(ws, repeat)).isEmpty();
        assertThat(segmentsOf(ws, p1)).containsExactly(known);

        // 4. Previews over the same profiles: counted, sampled by profile id, and not kept.
        admin.post("{ws}/segments/preview", Map.of("condition", Map.of("trait", "plan", "eq", "pro")), ws)
                .then().statusCode(200)
                .body("estimatedSize", equalTo(2))
                .body("evaluatedProfiles", equalTo(3))
                .body("sample", equalTo(Stream.of(p1, p3).sorted().toList()));
        admin.request().queryParam("sampleSize", 1)
                .body(Map.of("name", "Buyers", "condition", Map.of("event", "Order Completed", "within", "P1D")))
                .post("/api/v1/workspaces/{ws}/segments/preview", ws)
                .then().statusCode(200)
                .body("estimatedSize", equalTo(2))
                .body("sample", equalTo(List.of(Stream.of(p1, p2).sorted().findFirst().orElseThrow())));
        admin.post("{ws}/segments/preview", Map.of("condition", Map.of("trait", "plan", "equals", "pro")), ws)
                .then().statusCode(400).body("reason", equalTo("UNKNOWN_OPERATOR")).body("field", equalTo("/condition/equals"));
        assertThat(admin.get("{ws}/segments", ws).then().statusCode(200).extract().<List<String>>path("segments.id"))
                .containsExactly(known, repeat);
        assertThat(admin.get("{ws}/segments/{id}", ws, repeat).then().extract().<Integer>path("version")).isEqualTo(3);

        // 5. Another workspace sees none of it.
        String other = admin.newWorkspace();
        admin.post("{ws}/segments/preview", Map.of("condition", Map.of("trait", "plan", "eq", "pro")), other)
                .then().statusCode(200)
                .body("estimatedSize", equalTo(0)).body("evaluatedProfiles", equalTo(0)).body("sample", equalTo(List.of()));
        assertThat(edit(other, repeat, "*", buyers("P1D", 1)).statusCode()).isEqualTo(404);
        assertThat(members(ws, repeat)).isEmpty();
    }
}
