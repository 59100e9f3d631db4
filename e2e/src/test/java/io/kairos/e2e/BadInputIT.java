package io.kairos.e2e;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.startsWith;

/** Bad input gets a clear 4xx with a machine-readable reason and changes nothing. */
class BadInputIT {

    private static Admin admin;
    private static String ws;
    private static String writeKey;

    @BeforeAll
    static void startSuite() {
        KairosSuite.start();
        admin = new Admin(Keycloak.token("admin"));
        ws = admin.newWorkspace();
        writeKey = admin.newWriteKey(ws, "server");
    }

    @Test
    void malformedJsonIsRejected() {
        given().baseUri(KairosSuite.GATEWAY).auth().preemptive().basic(writeKey, "")
                .contentType(ContentType.JSON).body("{\"userId\": \"u-x\", \"event\": ")
                .post("/v1/track")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("reason", not(emptyOrNullString()));
    }

    @Test
    void missingOrUnknownWriteKeyIsUnauthorized() {
        given().baseUri(KairosSuite.GATEWAY).contentType(ContentType.JSON)
                .body(Map.of("userId", "u-x", "event", "Signed Up"))
                .post("/v1/track")
                .then().statusCode(401).contentType(startsWith("application/problem+json"));
        Admin.ingest("not-a-key", "track", Map.of("userId", "u-x", "event", "Signed Up"))
                .then().statusCode(401).contentType(startsWith("application/problem+json"));
    }

    @Test
    void eventWithoutIdentityIsRejectedAndNothingIsStored() {
        Admin.ingest(writeKey, "track", Map.of("event", "Signed Up", "properties", Map.of("marker", "no-identity")))
                .then().statusCode(400).body("field", equalTo("/userId"));

        // A batch with one bad message is rejected whole: its good message never arrives.
        Admin.ingest(writeKey, "batch", Map.of("batch", List.of(
                        Map.of("type", "track", "userId", "u-batch", "event", "Rejected With Batch"),
                        Map.of("type", "track", "event", "No Identity"))))
                .then().statusCode(400).body("field", equalTo("/batch/1/userId"));
        // Then a good event for the same user (same partition, after the rejected one).
        Admin.ingest(writeKey, "track", Map.of("userId", "u-batch", "event", "Accepted"))
                .then().statusCode(200);

        await("accepted event stored").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            String profileId = admin.get("{ws}/profiles?identifier=userId:u-batch", ws)
                    .then().statusCode(200).extract().path("id");
            List<String> events = admin.get("{ws}/profiles/{id}/events", ws, profileId)
                    .then().statusCode(200).extract().path("events.event");
            assertThat(events).containsExactly("Accepted");
        });
    }

    @Test
    void consentForUnknownProfileIsNotFound() {
        String unknownProfile = UUID.randomUUID().toString();
        admin.put("{ws}/profiles/{id}/consents", Map.of("purpose", "marketing", "channel", "email",
                        "status", "granted", "source", "e2e"), ws, unknownProfile)
                .then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("reason", equalTo("PROFILE_NOT_FOUND"));
    }

    @Test
    void unknownSegmentFieldIsRejectedAndNothingIsStored() {
        admin.post("{ws}/segments", Map.of("name", "Typo",
                        "condition", Map.of("all", List.of(Map.of("trait", "plan", "equals", "pro")))), ws)
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("reason", not(emptyOrNullString()))
                .body("field", startsWith("/condition/all/0"));
        admin.post("{ws}/segments", Map.of("name", "Typo", "conditon", Map.of()), ws)
                .then().statusCode(400).body("reason", not(emptyOrNullString()));

        List<?> segments = admin.get("{ws}/segments", ws).then().statusCode(200).extract().path("segments");
        assertThat(segments).isEmpty();
    }
}
