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

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

/**
 * The gateway's own rules for editing and previewing segments: who may, what it refuses before
 * forwarding, and a 503 while segment-service is down ({@link OtherServicesDown}). What segment-service
 * does with an edit or a preview is covered by its own tests and end to end.
 */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class SegmentEditingTest {

    private static final String SEGMENT = "/api/v1/workspaces/{ws}/segments/{id}";
    private static final String PREVIEW = "/api/v1/workspaces/{ws}/segments/preview";
    private static final String DEFINITION = "{\"name\": \"Buyers\", \"condition\": {\"event\": \"Order Completed\", \"within\": \"P30D\"}}";

    private String workspace;

    @BeforeEach
    void setUp() {
        workspace = AdminApi.newWorkspace();
    }

    @Test
    void an_analyst_may_preview_but_not_edit() {
        as("analyst").contentType(ContentType.JSON).body(DEFINITION).put(SEGMENT, "demo", "s-1")
                .then().statusCode(403).contentType("application/problem+json")
                .body("reason", equalTo("ROLE_NOT_ALLOWED"));
        // The analyst's role may read segments: only the workspace (not one of the analyst's) keeps it out.
        as("analyst").contentType(ContentType.JSON).body(DEFINITION).post(PREVIEW, workspace)
                .then().statusCode(403).body("reason", equalTo("WORKSPACE_NOT_ALLOWED"));
        given().contentType(ContentType.JSON).body(DEFINITION).put(SEGMENT, workspace, "s-1")
                .then().statusCode(401);
        given().contentType(ContentType.JSON).body(DEFINITION).post(PREVIEW, workspace)
                .then().statusCode(401);
    }

    @Test
    void an_edit_is_checked_by_the_gateway_before_it_is_forwarded() {
        as("admin").contentType(ContentType.JSON).body("[1, 2]").put(SEGMENT, workspace, "s-1")
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("NOT_AN_OBJECT"));
        as("admin").contentType(ContentType.JSON).body("{\"name\": ").put(SEGMENT, workspace, "s-1")
                .then().statusCode(400).body("reason", equalTo("MALFORMED_JSON"));
        as("admin").contentType(ContentType.JSON).put(SEGMENT, workspace, "s-1")
                .then().statusCode(400).body("reason", equalTo("BODY_REQUIRED"));
        as("admin").contentType(ContentType.JSON).header("If-Match", "W/\"2\"").body(DEFINITION)
                .put(SEGMENT, workspace, "s-1")
                .then().statusCode(400).body("reason", equalTo("INVALID_IF_MATCH"));
        as("admin").contentType(ContentType.JSON).header("If-Match", "\"two\"").body(DEFINITION)
                .put(SEGMENT, workspace, "s-1")
                .then().statusCode(400).body("reason", equalTo("INVALID_IF_MATCH"));
        // A segment as GET shows it may be sent back, but not onto another segment.
        as("admin").contentType(ContentType.JSON)
                .body("{\"id\": \"s-2\", \"name\": \"Buyers\", \"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}, \"version\": 1}")
                .put(SEGMENT, workspace, "s-1")
                .then().statusCode(400).body("reason", equalTo("ID_MISMATCH")).body("field", equalTo("/id"));
        as("admin").contentType(ContentType.JSON).body(DEFINITION).put(SEGMENT, "no-such-ws-" + System.nanoTime(), "s-1")
                .then().statusCode(404).body("reason", equalTo("WORKSPACE_NOT_FOUND"));
    }

    @Test
    void a_preview_is_checked_by_the_gateway_before_it_is_forwarded() {
        as("admin").contentType(ContentType.JSON).body("\"everyone\"").post(PREVIEW, workspace)
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("NOT_AN_OBJECT"));
        as("admin").contentType(ContentType.JSON).post(PREVIEW, workspace)
                .then().statusCode(400).body("reason", equalTo("BODY_REQUIRED"));
        for (String size : new String[]{"0", "-3", "ten"}) {
            as("admin").contentType(ContentType.JSON).queryParam("sampleSize", size).body(DEFINITION).post(PREVIEW, workspace)
                    .then().statusCode(400).body("reason", equalTo("INVALID_SAMPLE_SIZE")).body("field", equalTo("/sampleSize"));
        }
    }

    @Test
    void edits_and_previews_with_segment_service_down_are_503() {
        assertUnavailable(as("admin").contentType(ContentType.JSON).body(DEFINITION).put(SEGMENT, workspace, "s-1"));
        assertUnavailable(as("admin").contentType(ContentType.JSON).header("If-Match", "\"3\"").body(DEFINITION)
                .put(SEGMENT, workspace, "s-1"));
        assertUnavailable(as("admin").contentType(ContentType.JSON).header("If-Match", "*")
                .body("{\"id\": \"s-1\", \"name\": \"Buyers\", \"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}, "
                        + "\"version\": 3, \"createdAt\": \"2026-01-01T00:00:00Z\", \"updatedAt\": \"2026-01-02T00:00:00Z\"}")
                .put(SEGMENT, workspace, "s-1"));
        // Answered by the preview route (a POST onto a segment id would be 405), even without a name.
        assertUnavailable(as("admin").contentType(ContentType.JSON).body("{\"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}}")
                .post(PREVIEW, workspace));
        assertUnavailable(as("admin").contentType(ContentType.JSON).queryParam("sampleSize", "25").body(DEFINITION)
                .post(PREVIEW, workspace));
    }

    @Test
    void editing_and_previewing_are_described_in_openapi() {
        String segment = "paths.'/api/v1/workspaces/{ws}/segments/{segmentId}'";
        String preview = "paths.'/api/v1/workspaces/{ws}/segments/preview'";
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(segment + ".put.summary", equalTo("Replace a segment's definition"))
                .body(segment + ".put.description", containsString("If-Match"))
                .body(segment + ".put.parameters.name", hasItem("If-Match"))
                .body(segment + ".put.security[0]", hasKey("keycloak"))
                .body(preview + ".post.summary", equalTo("Preview an unsaved segment definition"))
                .body(preview + ".post.parameters.name", hasItem("sampleSize"))
                .body(preview + ".post.requestBody.content.'application/json'.examples.'repeat buyers with an email'.value.condition.all[0].count.gte",
                        equalTo(3))
                .body(preview + ".post.responses.'200'.content.'application/json'.examples.'repeat buyers with an email'.value.estimatedSize",
                        equalTo(1234))
                .body(preview + ".post.responses.'200'.content.'application/json'.schema.'$ref'",
                        containsString("SegmentPreview"));
    }

    private static void assertUnavailable(io.restassured.response.Response response) {
        response.then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("reason", equalTo("SERVICE_UNAVAILABLE"))
                .body("detail", containsString("segment-service"));
    }

    private static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user));
    }
}
