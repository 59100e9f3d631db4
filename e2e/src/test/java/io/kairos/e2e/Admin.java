package io.kairos.e2e;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** The admin API of the gateway, as a console would call it with a user's bearer token. */
final class Admin {

    private final String token;

    Admin(String token) {
        this.token = token;
    }

    RequestSpecification request() {
        return given().baseUri(KairosSuite.GATEWAY).auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** A workspace of its own for each test, so tests never see each other's data. */
    String newWorkspace() {
        String id = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        request().body(Map.of("id", id, "name", "E2E " + id, "timezone", "America/New_York"))
                .post("/api/v1/workspaces").then().statusCode(201);
        return id;
    }

    /** Creates a source and returns its write key. */
    String newWriteKey(String workspace, String channel) {
        return request().body(Map.of("name", channel + " source", "channel", channel))
                .post("/api/v1/workspaces/{ws}/sources", workspace)
                .then().statusCode(201).extract().path("writeKey");
    }

    Response post(String path, Object body, Object... params) {
        return request().body(body).post("/api/v1/workspaces/" + path, params);
    }

    Response put(String path, Object body, Object... params) {
        return request().body(body).put("/api/v1/workspaces/" + path, params);
    }

    Response get(String path, Object... params) {
        return request().get("/api/v1/workspaces/" + path, params);
    }

    /** Segment-spec ingestion with a write key as the Basic user name. */
    static Response ingest(String writeKey, String type, Object body) {
        return given().baseUri(KairosSuite.GATEWAY).auth().preemptive().basic(writeKey, "")
                .contentType(ContentType.JSON).body(body).post("/v1/" + type);
    }
}
