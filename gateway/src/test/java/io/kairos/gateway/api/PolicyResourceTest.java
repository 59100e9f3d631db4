package io.kairos.gateway.api;

import io.kairos.gateway.AdminApi;
import io.kairos.gateway.Keycloak;
import io.kairos.gateway.OtherServicesDown;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

/**
 * The gateway's own rules for {@code /api/v1/workspaces/{ws}/policies}: who may read and change
 * them, what a body must be before consent-service is asked, and a 503 when consent-service is
 * down (see {@link OtherServicesDown}). Policies themselves are validated by consent-service
 * and covered end to end by e2e.
 */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class PolicyResourceTest {

    private static final String POLICIES = "/api/v1/workspaces/{ws}/policies";

    private String workspace;

    @BeforeEach
    void setUp() {
        workspace = AdminApi.newWorkspace();
    }

    @Test
    void marketers_and_analysts_may_read_but_not_change_policies() {
        long callsBefore = OtherServicesDown.consentServiceCalls();

        // Users of workspace "demo": the role is decided before the workspace, so demo need not exist.
        for (String user : new String[] {"marketer", "analyst"}) {
            as(user).contentType(ContentType.JSON).body(PolicyResource.EXAMPLE).put(POLICIES, "demo")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("reason", equalTo("ROLE_NOT_ALLOWED"))
                    .body("detail", containsString("write policies"));
        }
        // Reading is theirs, in their own workspace only.
        as("marketer").get(POLICIES, workspace)
                .then().statusCode(403).body("reason", equalTo("WORKSPACE_NOT_ALLOWED"));
        as("analyst").get(POLICIES, workspace)
                .then().statusCode(403).body("reason", equalTo("WORKSPACE_NOT_ALLOWED"));

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(OtherServicesDown::consentServiceCalls, equalTo(callsBefore));
    }

    @Test
    void a_body_that_is_not_one_json_object_is_400_before_consent_service_is_asked() {
        long callsBefore = OtherServicesDown.consentServiceCalls();

        as("admin").contentType(ContentType.JSON).body("[{\"defaultTimezone\": \"UTC\"}]").put(POLICIES, workspace)
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("NOT_AN_OBJECT")).body("field", nullValue());
        as("admin").contentType(ContentType.JSON).body("\"UTC\"").put(POLICIES, workspace)
                .then().statusCode(400).body("reason", equalTo("NOT_AN_OBJECT"));
        as("admin").contentType(ContentType.JSON).body("{\"defaultTimezone\": ").put(POLICIES, workspace)
                .then().statusCode(400).body("reason", equalTo("MALFORMED_JSON"));
        as("admin").contentType(ContentType.JSON).body("{} {}").put(POLICIES, workspace)
                .then().statusCode(400).body("reason", equalTo("MALFORMED_JSON"));
        as("admin").contentType(ContentType.JSON).put(POLICIES, workspace)
                .then().statusCode(400).body("reason", equalTo("BODY_REQUIRED"));

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(OtherServicesDown::consentServiceCalls, equalTo(callsBefore));
    }

    @Test
    void with_consent_service_down_policies_are_503() {
        long callsBefore = OtherServicesDown.consentServiceCalls();
        // The detail names consent-service: the 503s come from the forwarded calls, not the gateway's own checks.
        as("admin").get(POLICIES, workspace)
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("reason", equalTo("SERVICE_UNAVAILABLE"))
                .body("detail", containsString("consent-service"));
        as("admin").contentType(ContentType.JSON).body("{\"quietHours\": {\"sms\": null}}").put(POLICIES, workspace)
                .then().statusCode(503)
                .body("reason", equalTo("SERVICE_UNAVAILABLE"))
                .body("detail", containsString("consent-service"));
        // Both calls were made, and counted: what the other tests' "no call" checks rely on.
        await().atMost(Duration.ofSeconds(2)).until(OtherServicesDown::consentServiceCalls, equalTo(callsBefore + 2));
    }

    @Test
    void a_workspace_that_does_not_exist_is_404() {
        as("admin").get(POLICIES, "no-such-ws-" + System.nanoTime())
                .then().statusCode(404).body("reason", equalTo("WORKSPACE_NOT_FOUND"));
        as("admin").contentType(ContentType.JSON).body(PolicyResource.EXAMPLE).put(POLICIES, "no-such-ws-" + System.nanoTime())
                .then().statusCode(404).body("reason", equalTo("WORKSPACE_NOT_FOUND"));
    }

    @Test
    void policies_need_a_token() {
        given().get(POLICIES, workspace).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void the_policies_are_described_in_openapi_with_the_design_example() {
        String path = "paths.'/api/v1/workspaces/{ws}/policies'";
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(path + ".get.summary", containsString("policies"))
                .body(path + ".put.summary", containsString("fields left out keep their value"))
                .body(path + ".put.security[0]", hasKey("keycloak"))
                .body(path + ".put.requestBody.content.'application/json'.examples.'quiet nights, three marketing emails a week'.value.frequencyCaps[0].per",
                        equalTo("P7D"))
                .body(path + ".get.responses.'200'.content.'application/json'.examples.policies.value.version",
                        equalTo(4));
    }

    private static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user));
    }
}
