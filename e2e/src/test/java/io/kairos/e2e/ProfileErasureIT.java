package io.kairos.e2e;

import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Right to erasure through the gateway: a privacy officer erases a customer with suppression;
 * the profile is gone, and the customer's later events do not bring it back, while other
 * customers' events still make profiles.
 */
class ProfileErasureIT {

    /** The privacy officer's token grants workspace "demo" only. */
    private static final String WORKSPACE = "demo";

    private static Admin admin;
    private static Admin privacy;

    @BeforeAll
    static void startSuite() {
        KairosSuite.start();
        admin = new Admin(Keycloak.token("admin"));
        privacy = new Admin(Keycloak.token("privacy"));
        int status = admin.request().body(Map.of("id", WORKSPACE, "name", "Demo", "timezone", "UTC"))
                .post("/api/v1/workspaces").then().extract().statusCode();
        assertThat(status).as("demo workspace created or already there").isIn(201, 409);
    }

    @Test
    void anErasedAndSuppressedCustomerDoesNotComeBack() {
        // "demo" outlives test runs: this run's customers have identifiers of their own.
        String run = UUID.randomUUID().toString().substring(0, 8);
        String userId = "erase-" + run;
        String email = "erase-" + run + "@example.com";
        String writeKey = admin.newWriteKey(WORKSPACE, "web");

        Admin.ingest(writeKey, "identify", Map.of("userId", userId, "traits", Map.of("email", email, "name", "Ada")))
                .then().statusCode(200).body("success", equalTo(true));
        Admin.ingest(writeKey, "track", Map.of("userId", userId, "event", "Order Completed",
                "properties", Map.of("revenue", 42))).then().statusCode(200);
        String profileId = await("profile with both events").atMost(Duration.ofSeconds(30)).until(() -> {
            Response found = lookup("email:" + email);
            if (found.statusCode() != 200) {
                return null;
            }
            String id = found.path("id");
            Response events = privacy.get("{ws}/profiles/{id}/events", WORKSPACE, id);
            return events.statusCode() == 200 && events.<Integer>path("events.size()") == 2 ? id : null;
        }, id -> id != null);

        var erased = privacy.request().queryParam("suppress", "true")
                .delete("/api/v1/workspaces/{ws}/profiles/{id}", WORKSPACE, profileId)
                .then().statusCode(200)
                .body("profileId", equalTo(profileId))
                .body("deletedAt", notNullValue())
                .body("eventsRemoved", equalTo(2))
                .body("suppressed", equalTo(true))
                .extract();
        assertThat(erased.<Integer>path("identifiersRemoved")).isGreaterThanOrEqualTo(2);

        privacy.get("{ws}/profiles/{id}", WORKSPACE, profileId).then().statusCode(404)
                .body("reason", equalTo("PROFILE_NOT_FOUND"));
        lookup("email:" + email).then().statusCode(404);
        lookup("userId:" + userId).then().statusCode(404);
        // A retried erasure answers the first result.
        privacy.request().queryParam("suppress", "true")
                .delete("/api/v1/workspaces/{ws}/profiles/{id}", WORKSPACE, profileId)
                .then().statusCode(200)
                .body("deletedAt", equalTo(erased.path("deletedAt")))
                .body("eventsRemoved", equalTo(2));

        // The same email again, from a new device, and then somebody else.
        String device = "device-" + run;
        Admin.ingest(writeKey, "identify", Map.of("anonymousId", device, "traits", Map.of("email", email.toUpperCase())))
                .then().statusCode(200);
        String otherUser = "keep-" + run;
        Admin.ingest(writeKey, "identify", Map.of("userId", otherUser, "traits", Map.of("email", "keep-" + run + "@example.com")))
                .then().statusCode(200);

        await("the other customer's profile").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                lookup("userId:" + otherUser).then().statusCode(200));
        await("the erased customer stays erased").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    lookup("email:" + email).then().statusCode(404);
                    lookup("anonymousId:" + device).then().statusCode(404);
                });
    }

    private static Response lookup(String identifier) {
        return privacy.request().queryParam("identifier", identifier).get("/api/v1/workspaces/{ws}/profiles", WORKSPACE);
    }
}
