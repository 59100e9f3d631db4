package io.kairos.gateway;

import io.restassured.http.ContentType;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Sets up what a test needs through the admin API, as the admin user. */
public final class AdminApi {

    public record Source(String workspace, String id, String writeKey) {
    }

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
}
