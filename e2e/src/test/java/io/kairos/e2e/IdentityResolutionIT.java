package io.kairos.e2e;

import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * One person on the web and in the app becomes one profile through the gateway: the login ties
 * the two visitor profiles together, the merged id stays an alias, the workspace's own rules
 * decide what is an identifier, and two customers are never merged by hand.
 */
class IdentityResolutionIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static Admin admin;

    @BeforeAll
    static void startSuite() {
        KairosSuite.start();
        admin = new Admin(Keycloak.token("admin"));
    }

    @Test
    void aCustomerOnTwoChannelsBecomesOneProfileUnderTheWorkspacesRules() {
        String ws = admin.newWorkspace();
        admin.put("{ws}/identity-rules", Map.of(
                        "limits", Map.of("userId", 1, "email", 1),
                        "priority", List.of("userId", "email", "*", "deviceId", "anonymousId"),
                        "blockedValues", List.of("null", "guest")), ws)
                .then().statusCode(200).body("version", equalTo(1)).body("blockedValues", equalTo(List.of("guest", "null")));
        String web = admin.newWriteKey(ws, "web");
        String app = admin.newWriteKey(ws, "mobile");

        Admin.ingest(web, "page", Map.of("anonymousId", "a-web", "name", "Pricing")).then().statusCode(200);
        String webProfile = awaitProfile(ws, "anonymousId:a-web");
        Admin.ingest(app, "screen", Map.of("anonymousId", "a-app", "name", "Cart",
                "context", Map.of("device", Map.of("id", "device-1")))).then().statusCode(200);
        String appProfile = awaitProfile(ws, "deviceId:device-1");
        assertThat(appProfile).isNotEqualTo(webProfile);

        // The login on the web, then the same customer in the app: both visitors are one person.
        Admin.ingest(web, "identify", Map.of("userId", "cust-1", "anonymousId", "a-web",
                "traits", Map.of("email", "ada@example.com", "plan", "pro"))).then().statusCode(200);
        Admin.ingest(app, "track", Map.of("userId", "cust-1", "anonymousId", "a-app", "event", "Order Completed")).then().statusCode(200);
        String survivor = await("one profile for web and app").atMost(DEADLINE)
                .until(() -> idOf(lookup(ws, "deviceId:device-1")), webProfile::equals);

        Response graph = admin.get("{ws}/profiles/{id}/identity-graph", ws, appProfile);
        graph.then().statusCode(200).body("profileId", equalTo(survivor));
        assertThat(graph.<List<String>>path("identifiers.type"))
                .containsExactlyInAnyOrder("anonymousId", "anonymousId", "deviceId", "userId", "email");
        assertThat(graph.<List<String>>path("merged.profileId")).containsExactly(appProfile);
        admin.get("{ws}/profiles/{id}", ws, appProfile).then().statusCode(200).body("id", equalTo(survivor))
                .body("traits.plan", equalTo("pro")).body("traits.'$channels'", equalTo(List.of("mobile", "web")));

        // Under this workspace's rules a profile has one email, and "guest" identifies nobody.
        Admin.ingest(web, "identify", Map.of("userId", "cust-1", "anonymousId", "guest",
                "traits", Map.of("email", "ada@work.example"))).then().statusCode(200);
        Response dropped = await("second email dropped").atMost(DEADLINE)
                .until(() -> admin.get("{ws}/profiles/{id}/identity-graph", ws, survivor),
                        found -> found.statusCode() == 200 && found.<List<?>>path("dropped").size() == 1);
        dropped.then().body("dropped[0].type", equalTo("email")).body("dropped[0].reason", equalTo("LIMIT_REACHED"));
        lookup(ws, "anonymousId:guest").then().statusCode(400).body("reason", equalTo("BLOCKED_IDENTIFIER"));

        // Another customer is never merged into this one, not even by hand.
        Admin.ingest(web, "identify", Map.of("userId", "cust-2")).then().statusCode(200);
        String other = awaitProfile(ws, "userId:cust-2");
        admin.post("{ws}/profiles/merge", Map.of("profileIds", List.of(survivor, other)), ws)
                .then().statusCode(409).contentType("application/problem+json").body("reason", equalTo("MERGE_BREAKS_LIMIT"));
    }

    private static String awaitProfile(String ws, String identifier) {
        return await(identifier).atMost(DEADLINE)
                .until(() -> idOf(lookup(ws, identifier)), id -> id != null);
    }

    private static Response lookup(String ws, String identifier) {
        return admin.request().queryParam("identifier", identifier).get("/api/v1/workspaces/{ws}/profiles", ws);
    }

    private static String idOf(Response found) {
        return found.statusCode() == 200 ? found.path("id") : null;
    }
}
