package io.kairos.e2e;

import io.restassured.RestAssured;

/** Access tokens of the realm's dev users, by the password grant of the dev client. */
final class Keycloak {

    private Keycloak() {
    }

    static String token(String user) {
        return RestAssured.given()
                .formParam("grant_type", "password")
                .formParam("client_id", "kairos-cli")
                .formParam("username", user)
                .formParam("password", user)
                .post(KairosSuite.KEYCLOAK + "/realms/kairos/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().path("access_token");
    }
}
