package io.kairos.gateway.api;

import io.kairos.gateway.AdminApi;
import io.kairos.gateway.Keycloak;
import io.kairos.gateway.OtherServicesDown;
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
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The gateway's own rules for erasing a profile. profile-service is not running (see
 * {@link OtherServicesDown}), so a request the gateway lets through ends in 503; the erasure
 * itself is covered end to end by e2e.
 */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class ProfileErasureResourceTest {

    private static final String PG_URL = "jdbc:postgresql://%s:%s/kairos_gateway".formatted(
            System.getenv().getOrDefault("KAIROS_PG_HOST", "127.0.0.1"),
            System.getenv().getOrDefault("KAIROS_PG_PORT", "5432"));
    private static final String PROFILE = "/api/v1/workspaces/{ws}/profiles/{profileId}";

    /** The privacy officer only holds workspace "demo"; created here only if missing, removed after. */
    private static boolean demoCreatedHere;

    @Test
    void marketers_and_analysts_may_not_erase_profiles() {
        for (String user : List.of("marketer", "analyst")) {
            as(user).queryParam("suppress", "true").delete(PROFILE, "demo", UUID.randomUUID().toString())
                    .then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("reason", equalTo("ROLE_NOT_ALLOWED"))
                    .body("detail", containsString("delete profiles"));
        }
    }

    @Test
    void a_privacy_officer_erases_only_in_their_own_workspace() {
        String foreign = AdminApi.newWorkspace();
        as("privacy").delete(PROFILE, foreign, UUID.randomUUID().toString())
                .then().statusCode(403).body("reason", equalTo("WORKSPACE_NOT_ALLOWED"));

        ensureDemoExists();
        // Past the gateway's checks: only the missing profile-service stops it.
        assertUnavailable(as("privacy").queryParam("suppress", "true")
                .delete(PROFILE, "demo", UUID.randomUUID().toString()));
    }

    @Test
    void erasure_with_profile_service_down_is_503() {
        String workspace = AdminApi.newWorkspace();
        assertUnavailable(as("admin").delete(PROFILE, workspace, UUID.randomUUID().toString()));
        assertUnavailable(as("admin").queryParam("suppress", "false").delete(PROFILE, workspace, "p-1"));
    }

    @Test
    void suppress_is_true_or_false_and_checked_before_forwarding() {
        String workspace = AdminApi.newWorkspace();
        for (String suppress : List.of("yes", "TRUE", "1", " true")) {
            as("admin").queryParam("suppress", suppress).delete(PROFILE, workspace, UUID.randomUUID().toString())
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("reason", equalTo("INVALID_SUPPRESS"))
                    .body("field", equalTo("/suppress"));
        }
        as("admin").delete(PROFILE, "no-such-ws-" + System.nanoTime(), UUID.randomUUID().toString())
                .then().statusCode(404).body("reason", equalTo("WORKSPACE_NOT_FOUND"));
    }

    @Test
    void the_erasure_is_described_in_openapi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/workspaces/{ws}/profiles/{profileId}'.delete.summary",
                        containsString("right to erasure"))
                .body("paths.'/api/v1/workspaces/{ws}/profiles/{profileId}'.delete.parameters.name",
                        hasItem("suppress"));
    }

    private static void assertUnavailable(io.restassured.response.Response response) {
        response.then().statusCode(503)
                .contentType("application/problem+json")
                .body("reason", equalTo("SERVICE_UNAVAILABLE"))
                .body("detail", containsString("profile-service"));
    }

    private static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user));
    }

    private static void ensureDemoExists() {
        int status = as("admin").contentType(ContentType.JSON)
                .body(Map.of("id", "demo", "name", "Demo", "timezone", "UTC"))
                .post("/api/v1/workspaces")
                .then().extract().statusCode();
        assertThat(status).isIn(201, 409);
        demoCreatedHere |= status == 201;
    }

    @AfterAll
    static void removeDemoIfCreatedHere() throws SQLException {
        if (!demoCreatedHere) {
            return;
        }
        try (Connection db = DriverManager.getConnection(PG_URL, "postgres", "");
             PreparedStatement delete = db.prepareStatement("DELETE FROM workspaces WHERE id = 'demo'")) {
            delete.executeUpdate();
        }
    }
}
