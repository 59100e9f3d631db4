package io.kairos.gateway;

import io.restassured.http.ContentType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Sets up what a test needs through the admin API, as the admin user. */
public final class AdminApi {

    public record Source(String workspace, String id, String writeKey) {
    }

    public static final String PG_URL = "jdbc:postgresql://%s:%s/kairos_gateway".formatted(
            System.getenv().getOrDefault("KAIROS_PG_HOST", "127.0.0.1"),
            System.getenv().getOrDefault("KAIROS_PG_PORT", "5432"));

    private AdminApi() {
    }

    public static String newWorkspace() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 13);
        given().auth().oauth2(Keycloak.token("admin")).contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "Test " + id, "timezone", "Europe/Berlin"))
                .post("/api/v1/workspaces")
                .then().statusCode(201);
        return id;
    }

    public static Source newSource(String workspace, String channel) {
        var response = given().auth().oauth2(Keycloak.token("admin")).contentType(ContentType.JSON)
                .body(Map.of("name", "Source of " + workspace, "channel", channel))
                .post("/api/v1/workspaces/{ws}/sources", workspace)
                .then().statusCode(201)
                .extract();
        return new Source(workspace, response.path("id"), response.path("writeKey"));
    }

    public static Source newWorkspaceWithSource() {
        return newSource(newWorkspace(), "web");
    }

    /**
     * The dev users other than admin hold workspace "demo" only, so tests of their rights need it.
     * True when this call created it; such a test removes it again with {@link #removeDemoWorkspace()}.
     */
    public static boolean ensureDemoWorkspace() {
        int status = given().auth().oauth2(Keycloak.token("admin")).contentType(ContentType.JSON)
                .body(Map.of("id", "demo", "name", "Demo", "timezone", "UTC"))
                .post("/api/v1/workspaces")
                .then().extract().statusCode();
        if (status != 201 && status != 409) {
            throw new IllegalStateException("could not make sure workspace demo exists: " + status);
        }
        return status == 201;
    }

    public static void removeDemoWorkspace() throws SQLException {
        try (Connection db = DriverManager.getConnection(PG_URL, "postgres", "")) {
            db.createStatement().executeUpdate("DELETE FROM sources WHERE workspace = 'demo'");
            db.createStatement().executeUpdate("DELETE FROM workspaces WHERE id = 'demo'");
        }
    }
}
