package io.kairos.gateway.api;

import io.kairos.gateway.AdminApi;
import io.kairos.gateway.Keycloak;
import io.kairos.gateway.OtherServicesDown;
import io.kairos.gateway.domain.WriteKey;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class AdminApiTest {

    /** The dev users other than admin only hold workspace "demo"; created here only if missing, removed after. */
    private static boolean demoCreatedHere;

    @Test
    void without_a_valid_token_the_admin_api_answers_401_problems() {
        given().get("/api/v1/workspaces")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("reason", equalTo("UNAUTHENTICATED"))
                .body("status", equalTo(401));
        given().auth().oauth2("not.a.token").get("/api/v1/workspaces/demo/segments")
                .then().statusCode(401).body("reason", equalTo("UNAUTHENTICATED"));
        given().auth().oauth2(Keycloak.token("admin") + "x").get("/api/v1/workspaces")
                .then().statusCode(401);
    }

    @Test
    void an_admin_creates_reads_and_lists_workspaces() {
        String id = "t-ws-" + System.nanoTime();
        as("admin").contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "ACME Europe", "timezone", "Europe/Berlin"))
                .post("/api/v1/workspaces")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/workspaces/" + id))
                .body("id", equalTo(id))
                .body("name", equalTo("ACME Europe"))
                .body("timezone", equalTo("Europe/Berlin"))
                .body("createdAt", notNullValue());

        as("admin").get("/api/v1/workspaces/{ws}", id)
                .then().statusCode(200).body("name", equalTo("ACME Europe"));
        as("admin").get("/api/v1/workspaces")
                .then().statusCode(200).body("workspaces.id", hasItem(id));
        as("admin").contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "again", "timezone", "UTC"))
                .post("/api/v1/workspaces")
                .then().statusCode(409).contentType("application/problem+json")
                .body("reason", equalTo("WORKSPACE_EXISTS")).body("field", equalTo("/id"));
    }

    @Test
    void invalid_workspaces_are_refused_with_the_field_named() {
        as("admin").contentType(ContentType.JSON).body(Map.of("id", "Not A Slug", "name", "n"))
                .post("/api/v1/workspaces")
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("INVALID_WORKSPACE_ID")).body("field", equalTo("/id"));
        as("admin").contentType(ContentType.JSON).body(Map.of("id", "t-tz", "name", "n", "timezone", "Mars/Base"))
                .post("/api/v1/workspaces")
                .then().statusCode(400).body("reason", equalTo("INVALID_TIMEZONE")).body("field", equalTo("/timezone"));
        as("admin").contentType(ContentType.JSON).body("{\"id\": \"t-x\", \"name\": {\"first\": 1}}")
                .post("/api/v1/workspaces")
                .then().statusCode(400).body("reason", equalTo("INVALID_FIELD_TYPE")).body("field", equalTo("/name"));
        as("admin").contentType(ContentType.JSON).body("{\"id\": ")
                .post("/api/v1/workspaces")
                .then().statusCode(400).body("reason", equalTo("MALFORMED_JSON"));
    }

    @Test
    void only_an_admin_creates_workspaces() {
        for (String user : List.of("marketer", "analyst", "privacy")) {
            as(user).contentType(ContentType.JSON).body(Map.of("id", "demo", "name", "n"))
                    .post("/api/v1/workspaces")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("reason", equalTo("ROLE_NOT_ALLOWED"));
        }
    }

    @Test
    void a_user_of_workspace_demo_is_kept_out_of_other_workspaces() {
        String foreign = AdminApi.newWorkspace();
        for (String user : List.of("marketer", "analyst", "privacy")) {
            as(user).get("/api/v1/workspaces/{ws}", foreign)
                    .then().statusCode(403).body("reason", equalTo("WORKSPACE_NOT_ALLOWED"));
            as(user).get("/api/v1/workspaces")
                    .then().statusCode(200).body("workspaces.id", not(hasItem(foreign)));
        }
        as("marketer").get("/api/v1/workspaces/{ws}/sources", foreign)
                .then().statusCode(403).body("reason", equalTo("WORKSPACE_NOT_ALLOWED"));
        as("marketer").contentType(ContentType.JSON).body("{\"name\": \"s\", \"condition\": {}}")
                .post("/api/v1/workspaces/{ws}/segments", foreign)
                .then().statusCode(403).body("reason", equalTo("WORKSPACE_NOT_ALLOWED"));
        as("marketer").get("/api/v1/workspaces/{ws}/profiles/p-1", foreign)
                .then().statusCode(403).body("reason", equalTo("WORKSPACE_NOT_ALLOWED"));
    }

    @Test
    void roles_decide_what_a_user_of_workspace_demo_may_do_there() {
        demoCreatedHere |= AdminApi.ensureDemoWorkspace();
        // Reads and writes the roles allow go through (sources are the gateway's own data).
        as("marketer").get("/api/v1/workspaces/demo").then().statusCode(200).body("id", equalTo("demo"));
        as("marketer").contentType(ContentType.JSON).body(Map.of("name", "Demo web", "channel", "web"))
                .post("/api/v1/workspaces/demo/sources")
                .then().statusCode(201).body("writeKey", notNullValue());
        as("analyst").get("/api/v1/workspaces/demo/sources").then().statusCode(200);
        as("marketer").get("/api/v1/workspaces").then().statusCode(200).body("workspaces.id", hasItem("demo"));

        // An analyst reads only; a privacy officer has no business with sources, segments, triggers.
        as("analyst").contentType(ContentType.JSON).body(Map.of("name", "x", "channel", "web"))
                .post("/api/v1/workspaces/demo/sources")
                .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
        as("analyst").contentType(ContentType.JSON).body("{\"name\": \"s\", \"condition\": {}}")
                .post("/api/v1/workspaces/demo/segments")
                .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
        as("analyst").delete("/api/v1/workspaces/demo/triggers/t-1")
                .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
        as("analyst").contentType(ContentType.JSON)
                .body(Map.of("purpose", "marketing", "channel", "email", "status", "granted"))
                .put("/api/v1/workspaces/demo/profiles/p-1/consents")
                .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
        as("marketer").contentType(ContentType.JSON)
                .body(Map.of("purpose", "marketing", "channel", "email", "status", "granted"))
                .put("/api/v1/workspaces/demo/profiles/p-1/consents")
                .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
        as("privacy").get("/api/v1/workspaces/demo/sources")
                .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
        as("privacy").get("/api/v1/workspaces/demo/segments")
                .then().statusCode(403).body("reason", equalTo("ROLE_NOT_ALLOWED"));
    }

    @Test
    void a_source_gets_a_write_key_once_and_only_its_hash_is_stored() throws SQLException {
        String workspace = AdminApi.newWorkspace();
        var created = as("admin").contentType(ContentType.JSON)
                .body(Map.of("name", "Web shop", "channel", "web"))
                .post("/api/v1/workspaces/{ws}/sources", workspace)
                .then().statusCode(201)
                .body("name", equalTo("Web shop"))
                .body("channel", equalTo("web"))
                .extract();
        String id = created.path("id");
        String writeKey = created.path("writeKey");
        assertThat(writeKey).hasSizeGreaterThanOrEqualTo(32);

        as("admin").get("/api/v1/workspaces/{ws}/sources", workspace)
                .then().statusCode(200)
                .body("sources.id", equalTo(List.of(id)))
                .body("sources", everyItem(not(hasKey("writeKey"))));
        as("admin").get("/api/v1/workspaces/{ws}/sources/{id}", workspace, id)
                .then().statusCode(200).body("name", equalTo("Web shop")).body("$", not(hasKey("writeKey")));

        List<String> row = sourceRow(id);
        assertThat(row).contains(WriteKey.hashOf(writeKey)).doesNotContain(writeKey);
    }

    @Test
    void sources_are_validated() {
        String workspace = AdminApi.newWorkspace();
        as("admin").contentType(ContentType.JSON).body(Map.of("name", "Till"))
                .post("/api/v1/workspaces/{ws}/sources", workspace)
                .then().statusCode(400).body("reason", equalTo("FIELD_REQUIRED")).body("field", equalTo("/channel"));
        as("admin").contentType(ContentType.JSON).body(Map.of("name", "Till", "channel", "fax"))
                .post("/api/v1/workspaces/{ws}/sources", workspace)
                .then().statusCode(400).body("reason", equalTo("UNKNOWN_CHANNEL"));
    }

    @Test
    void a_workspace_sees_nothing_of_another_ones_sources() {
        AdminApi.Source ofA = AdminApi.newWorkspaceWithSource();
        String b = AdminApi.newWorkspace();

        as("admin").get("/api/v1/workspaces/{ws}/sources", b)
                .then().statusCode(200).body("sources", equalTo(List.of()));
        as("admin").get("/api/v1/workspaces/{ws}/sources/{id}", b, ofA.id())
                .then().statusCode(404).body("reason", equalTo("SOURCE_NOT_FOUND"));
        as("admin").delete("/api/v1/workspaces/{ws}/sources/{id}", b, ofA.id())
                .then().statusCode(404).body("reason", equalTo("SOURCE_NOT_FOUND"));
        // Still A's and still working.
        given().auth().preemptive().basic(ofA.writeKey(), "").contentType(ContentType.JSON)
                .body("{\"userId\": \"u\", \"event\": \"x\"}").post("/v1/track")
                .then().statusCode(200);
        as("admin").get("/api/v1/workspaces/{ws}/sources/{id}", ofA.workspace(), ofA.id())
                .then().statusCode(200).body("revokedAt", nullValue());
    }

    @Test
    void revoking_a_source_is_recorded() {
        AdminApi.Source source = AdminApi.newWorkspaceWithSource();

        as("admin").delete("/api/v1/workspaces/{ws}/sources/{id}", source.workspace(), source.id())
                .then().statusCode(204);

        as("admin").get("/api/v1/workspaces/{ws}/sources/{id}", source.workspace(), source.id())
                .then().statusCode(200).body("revokedAt", notNullValue());
    }

    @Test
    void an_unknown_workspace_is_a_404() {
        as("admin").get("/api/v1/workspaces/{ws}", "no-such-ws-" + System.nanoTime())
                .then().statusCode(404).contentType("application/problem+json")
                .body("reason", equalTo("WORKSPACE_NOT_FOUND"));
        as("admin").get("/api/v1/workspaces/{ws}/segments", "no-such-ws-" + System.nanoTime())
                .then().statusCode(404).body("reason", equalTo("WORKSPACE_NOT_FOUND"));
    }

    @Test
    void the_api_is_described_by_openapi_and_swagger_ui() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/batch'.post.security[0]", hasKey("writeKey"))
                .body("paths.'/v1/track'.post.security[0]", hasKey("writeKey"))
                .body("paths.'/api/v1/workspaces/{ws}/segments'.post.security[0]", hasKey("keycloak"))
                .body("paths.'/api/v1/workspaces/{ws}/profiles/{profileId}/consents'.put.security[0]",
                        hasKey("keycloak"))
                .body("paths.'/v1/track'.post.requestBody.content.'*/*'.examples.track.value.event",
                        equalTo("Order Completed"))
                .body("paths.'/api/v1/workspaces'.post.requestBody.content.'application/json'.examples",
                        hasKey("a retailer"))
                .body("components.securitySchemes.keycloak.type", equalTo("openIdConnect"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user));
    }

    @AfterAll
    static void removeDemoIfCreatedHere() throws SQLException {
        if (demoCreatedHere) {
            AdminApi.removeDemoWorkspace();
        }
    }

    private static List<String> sourceRow(String id) throws SQLException {
        try (Connection db = DriverManager.getConnection(AdminApi.PG_URL, "postgres", "");
             PreparedStatement query = db.prepareStatement("SELECT * FROM sources WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                List<String> values = new ArrayList<>();
                for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                    values.add(row.getString(column));
                }
                return values;
            }
        }
    }
}
