package io.kairos.gateway;

import io.restassured.RestAssured;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Access tokens of the realm's dev users (password = user name), by the password grant of kairos-cli. */
public final class Keycloak {

    private static final String URL = System.getenv().getOrDefault("KAIROS_KEYCLOAK_URL", "http://127.0.0.1:8180");
    /** Tokens live 15 minutes: far longer than this module's test run. */
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private Keycloak() {
    }

    public static String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> RestAssured.given()
                .formParam("grant_type", "password")
                .formParam("client_id", "kairos-cli")
                .formParam("username", u)
                .formParam("password", u)
                .post(URL + "/realms/kairos/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().path("access_token"));
    }
}
