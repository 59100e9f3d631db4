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

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Editing, pausing and resuming triggers, as far as the gateway decides: who may, and what an
 * edit must look like before it is forwarded. trigger-service is not running (see
 * {@link OtherServicesDown}: it accepts connections and never answers); the edits themselves
 * are covered end to end by e2e.
 */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class TriggerEditingTest {

    private static final String DEFINITION = """
            {"name": "Cart recovery", "when": {"event": "Product Added"},
             "action": {"channel": "email", "purpose": "marketing",
                        "webhook": {"url": "https://provider.example/send"},
                        "template": {"body": "Your cart"}}}""";

    private String workspace;

    @BeforeEach
    void setUp() {
        workspace = AdminApi.newWorkspace();
    }

    @Test
    void only_roles_that_write_triggers_may_edit_pause_or_resume_them() {
        for (String user : List.of("analyst", "privacy")) {
            as(user).contentType(ContentType.JSON).body(DEFINITION)
                    .put("/api/v1/workspaces/demo/triggers/t-1")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("reason", equalTo("ROLE_NOT_ALLOWED"));
            as(user).post("/api/v1/workspaces/demo/triggers/t-1/pause")
                    .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
            as(user).post("/api/v1/workspaces/demo/triggers/t-1/resume")
                    .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
        }
        as("marketer").contentType(ContentType.JSON).body(DEFINITION)
                .put("/api/v1/workspaces/{ws}/triggers/t-1", workspace)
                .then().statusCode(403).body("reason", equalTo("WORKSPACE_NOT_ALLOWED"));
    }

    @Test
    void an_edit_is_checked_before_it_is_forwarded() {
        for (String ifMatch : List.of("3", "W/\"3\"", "\"0\"", "\"three\"", "\"3\", \"4\"")) {
            admin().contentType(ContentType.JSON).header("If-Match", ifMatch).body(DEFINITION)
                    .put("/api/v1/workspaces/{ws}/triggers/t-1", workspace)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("reason", equalTo("INVALID_IF_MATCH"))
                    .body("field", nullValue());
        }
        admin().contentType(ContentType.JSON).body("[1, 2]")
                .put("/api/v1/workspaces/{ws}/triggers/t-1", workspace)
                .then().statusCode(400).body("reason", equalTo("NOT_AN_OBJECT"));
        admin().contentType(ContentType.JSON).body("{\"name\": ")
                .put("/api/v1/workspaces/{ws}/triggers/t-1", workspace)
                .then().statusCode(400).body("reason", equalTo("MALFORMED_JSON"));
        admin().contentType(ContentType.JSON).body("{\"id\": \"t-1\", \"name\": \"a\", \"name\": \"b\"}")
                .put("/api/v1/workspaces/{ws}/triggers/t-1", workspace)
                .then().statusCode(400).body("reason", equalTo("MALFORMED_JSON"));
        admin().contentType(ContentType.JSON).body(DEFINITION.replace("{\"name\"", "{\"id\": \"t-2\", \"name\""))
                .put("/api/v1/workspaces/{ws}/triggers/t-1", workspace)
                .then().statusCode(400).body("reason", equalTo("ID_MISMATCH")).body("field", equalTo("/id"));
        admin().contentType(ContentType.JSON).body(DEFINITION)
                .put("/api/v1/workspaces/{ws}/triggers/t-1", "no-such-ws-" + System.nanoTime())
                .then().statusCode(404).body("reason", equalTo("WORKSPACE_NOT_FOUND"));
    }

    @Test
    void only_admins_set_providers_and_a_dry_run_needs_a_profile() {
        for (String user : List.of("marketer", "analyst", "privacy")) {
            as(user).contentType(ContentType.JSON).body("{\"kind\": \"twilio\"}")
                    .put("/api/v1/workspaces/demo/providers/sms")
                    .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
            as(user).delete("/api/v1/workspaces/demo/providers/sms")
                    .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
        }
        as("privacy").get("/api/v1/workspaces/demo/providers").then().statusCode(403);
        admin().contentType(ContentType.JSON).body("[]")
                .put("/api/v1/workspaces/{ws}/providers/sms", workspace)
                .then().statusCode(400).body("reason", equalTo("NOT_AN_OBJECT"));
        admin().contentType(ContentType.JSON).body("{\"event\": {\"event\": \"Product Added\"}}")
                .post("/api/v1/workspaces/{ws}/triggers/t-1/dry-run", workspace)
                .then().statusCode(400).body("reason", equalTo("MISSING_FIELD")).body("field", equalTo("/profileId"));
        admin().contentType(ContentType.JSON).body("{\"profileId\": \"p-1\", \"event\": \"Product Added\"}")
                .post("/api/v1/workspaces/{ws}/triggers/t-1/dry-run", workspace)
                .then().statusCode(400).body("reason", equalTo("INVALID_EVENT"));
        as("privacy").contentType(ContentType.JSON).body("{\"profileId\": \"p-1\"}")
                .post("/api/v1/workspaces/demo/triggers/t-1/dry-run")
                .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
    }

    @Test
    void edits_pauses_and_resumes_end_in_503_while_trigger_service_does_not_answer() {
        // A trigger as a read returns it, sent back with the version it was read at.
        String readBack = DEFINITION.replace("{\"name\"", """
                {"id": "t-1", "version": 2, "status": "active", "createdAt": "2025-01-01T00:00:00Z",
                 "updatedAt": "2025-01-02T00:00:00Z", "name\"""");

        assertTimeout(admin().contentType(ContentType.JSON).header("If-Match", "\"2\"").body(readBack)
                .put("/api/v1/workspaces/{ws}/triggers/t-1", workspace));
        assertTimeout(admin().contentType(ContentType.JSON).header("If-Match", "*").body(DEFINITION)
                .put("/api/v1/workspaces/{ws}/triggers/t-1", workspace));
        assertTimeout(admin().post("/api/v1/workspaces/{ws}/triggers/t-1/pause", workspace));
        assertTimeout(admin().post("/api/v1/workspaces/{ws}/triggers/t-1/resume", workspace));
    }

    private static void assertTimeout(io.restassured.response.Response response) {
        response.then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("reason", equalTo("SERVICE_TIMEOUT"))
                .body("detail", containsString("trigger-service"));
    }

    private static RequestSpecification admin() {
        return as("admin");
    }

    private static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user));
    }
}
