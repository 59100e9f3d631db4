package io.kairos.gateway.api;

import io.kairos.gateway.AdminApi;
import io.kairos.gateway.Keycloak;
import io.kairos.gateway.OtherServicesDown;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Calls the admin API forwards to the other services. Those are not running during these
 * tests (see {@link OtherServicesDown}): a call must end in a 503 problem, never hang or 500,
 * and the gateway's own checks must come first. Real forwarding is covered end to end by e2e.
 */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class ForwardingTest {

    private String workspace;

    @BeforeEach
    void setUp() {
        workspace = AdminApi.newWorkspace();
    }

    @Test
    void profile_calls_with_profile_service_down_are_503() {
        assertUnavailable(admin().queryParam("identifier", "email:jane@example.com")
                .get("/api/v1/workspaces/{ws}/profiles", workspace), "profile-service");
        assertUnavailable(admin().get("/api/v1/workspaces/{ws}/profiles/p-1", workspace), "profile-service");
        assertUnavailable(admin().queryParam("pageSize", "10")
                .get("/api/v1/workspaces/{ws}/profiles/p-1/events", workspace), "profile-service");
        // Segments and consents of a profile are asked for only once profile-service knows the profile.
        assertUnavailable(admin().get("/api/v1/workspaces/{ws}/profiles/p-1/segments", workspace), "profile-service");
        assertUnavailable(admin().get("/api/v1/workspaces/{ws}/profiles/p-1/consents", workspace), "profile-service");
    }

    @Test
    void segment_calls_with_segment_service_down_are_503() {
        assertUnavailable(admin().contentType(ContentType.JSON)
                .body("{\"name\": \"Buyers\", \"condition\": {\"event\": \"Order Completed\", \"within\": \"P30D\"}}")
                .post("/api/v1/workspaces/{ws}/segments", workspace), "segment-service");
        assertUnavailable(admin().get("/api/v1/workspaces/{ws}/segments", workspace), "segment-service");
        assertUnavailable(admin().get("/api/v1/workspaces/{ws}/segments/s-1", workspace), "segment-service");
        assertUnavailable(admin().delete("/api/v1/workspaces/{ws}/segments/s-1", workspace), "segment-service");
        assertUnavailable(admin().get("/api/v1/workspaces/{ws}/segments/s-1/members", workspace), "segment-service");
    }

    @Test
    void no_consent_is_recorded_or_read_before_profile_service_confirms_the_profile() {
        long callsBefore = OtherServicesDown.consentServiceCalls();

        assertUnavailable(admin().contentType(ContentType.JSON)
                .body(Map.of("purpose", "marketing", "channel", "email", "status", "granted", "source", "test"))
                .put("/api/v1/workspaces/{ws}/profiles/p-1/consents", workspace), "profile-service");
        assertUnavailable(admin().get("/api/v1/workspaces/{ws}/profiles/p-1/consents", workspace), "profile-service");

        // Watched for a while, so that a consent call made alongside the profile check shows up too.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(OtherServicesDown::consentServiceCalls, equalTo(callsBefore));
    }

    @Test
    void a_service_that_never_answers_is_cut_off_by_the_deadline() {
        long started = System.nanoTime();

        admin().get("/api/v1/workspaces/{ws}/triggers", workspace)
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("reason", equalTo("SERVICE_TIMEOUT"))
                .body("detail", containsString("trigger-service"));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(10));
    }

    @Test
    void the_gateway_checks_its_own_rules_before_forwarding() {
        admin().get("/api/v1/workspaces/{ws}/profiles", workspace)
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("IDENTIFIER_REQUIRED")).body("field", equalTo("/identifier"));
        admin().queryParam("identifier", "jane@example.com").get("/api/v1/workspaces/{ws}/profiles", workspace)
                .then().statusCode(400).body("reason", equalTo("INVALID_IDENTIFIER"));
        admin().contentType(ContentType.JSON).body("{\"name\": ")
                .post("/api/v1/workspaces/{ws}/segments", workspace)
                .then().statusCode(400).body("reason", equalTo("MALFORMED_JSON"));
        admin().contentType(ContentType.JSON).body("[1, 2]")
                .post("/api/v1/workspaces/{ws}/triggers", workspace)
                .then().statusCode(400).body("reason", equalTo("NOT_AN_OBJECT"));
        admin().queryParam("pageSize", "many").get("/api/v1/workspaces/{ws}/segments/s-1/members", workspace)
                .then().statusCode(400).body("reason", equalTo("INVALID_PAGE_SIZE")).body("field", equalTo("/pageSize"));
        admin().queryParam("from", "yesterday").get("/api/v1/workspaces/{ws}/profiles/p-1/events", workspace)
                .then().statusCode(400).body("reason", equalTo("INVALID_TIMESTAMP")).body("field", equalTo("/from"));
        admin().contentType(ContentType.JSON).body(Map.of("channel", "email", "status", "granted"))
                .put("/api/v1/workspaces/{ws}/profiles/p-1/consents", workspace)
                .then().statusCode(400).body("reason", equalTo("FIELD_REQUIRED")).body("field", equalTo("/purpose"));
        admin().get("/api/v1/workspaces/{ws}/triggers/t-1/deliveries", "no-such-ws-" + System.nanoTime())
                .then().statusCode(404).body("reason", equalTo("WORKSPACE_NOT_FOUND"));
    }

    private static void assertUnavailable(io.restassured.response.Response response, String service) {
        ValidatableResponse then = response.then();
        then.statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("status", equalTo(503))
                .body("reason", equalTo("SERVICE_UNAVAILABLE"))
                .body("detail", containsString(service));
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(Keycloak.token("admin"));
    }
}
