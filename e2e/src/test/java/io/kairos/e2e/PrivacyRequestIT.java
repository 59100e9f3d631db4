package io.kairos.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Data subject requests through the gateway, carried out by every service of the running suite: an
 * export gathers what profile-, segment-, trigger- and consent-service hold on a customer; a suppress
 * request then erases the customer everywhere, completes once each service reported, and keeps
 * their later events out.
 */
class PrivacyRequestIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final List<String> SERVICES = List.of("gateway", "profile-service", "segment-service",
            "trigger-service", "consent-service");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebhookReceiver provider;
    private static Admin admin;

    @BeforeAll
    static void startSuite() throws Exception {
        KairosSuite.start();
        provider = new WebhookReceiver();
        admin = new Admin(Keycloak.token("admin"));
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void anExportGathersEveryServicesDataAndASuppressRequestErasesTheCustomerEverywhere() throws Exception {
        String ws = admin.newWorkspace();
        String writeKey = admin.newWriteKey(ws, "web");
        String segmentId = admin.post("{ws}/segments", Map.of("name", "Buyers",
                        "condition", Map.of("event", "Order Completed", "within", "P30D")), ws)
                .then().statusCode(201).extract().path("id");
        String triggerId = admin.post("{ws}/triggers", Map.of("name", "Thank you",
                        "when", Map.of("event", "Order Completed"),
                        "action", Map.of("channel", "email", "purpose", "marketing",
                                "webhook", Map.of("url", provider.url(), "secret", "s3cret"),
                                "template", Map.of("subject", "Thanks", "body", "Thank you for your order."))), ws)
                .then().statusCode(201).extract().path("id");
        admin.post("{ws}/triggers", Map.of("name", "Thank you in the app",
                        "when", Map.of("event", "Order Completed"),
                        "action", Map.of("channel", "in_app", "purpose", "marketing",
                                "template", Map.of("body", "Thank you, {profile.traits.name}!"))), ws)
                .then().statusCode(201);

        Admin.ingest(writeKey, "identify", Map.of("userId", "u-7", "traits", Map.of("email", "grace@example.com",
                "name", "Grace"), "context", Map.of("location", Map.of("country", "US", "region", "CA")))).then().statusCode(200);
        Admin.ingest(writeKey, "track", Map.of("userId", "u-7", "event", "Order Completed",
                "properties", Map.of("revenue", 99))).then().statusCode(200);
        await("thank-you webhook").atMost(DEADLINE).until(() -> provider.forTrigger(triggerId).size() == 1);
        String profileId = provider.forTrigger(triggerId).getFirst().json().path("profileId").asText();
        await("segment membership").atMost(DEADLINE).until(() ->
                admin.get("{ws}/segments/{id}/members", ws, segmentId).then().extract().<List<String>>path("members.profileId")
                        .contains(profileId));
        admin.put("{ws}/profiles/{id}/consents", Map.of("purpose", "marketing", "channel", "sms", "status", "granted",
                "source", "checkout"), ws, profileId).then().statusCode(200);
        await("delivery logged").atMost(DEADLINE).until(() ->
                admin.get("{ws}/triggers/{id}/deliveries", ws, triggerId).then().extract().<List<?>>path("deliveries").size() == 1);

        // Export: everything every service holds, once the in-app message reached the gateway's inbox.
        String exportId = null;
        JsonNode export = null;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (export == null || export.at("/gateway/inbox").isEmpty()) {
            assertThat(System.nanoTime()).as("an export with the in-app message").isLessThan(deadline);
            Response submitted = admin.post("{ws}/privacy-requests", Map.of("profileId", profileId, "kind", "export",
                    "note", "DSR-1 by email"), ws);
            submitted.then().statusCode(202);
            exportId = submitted.path("id");
            assertThat(submitted.header("Location")).endsWith("/privacy-requests/" + exportId);
            assertThat(submitted.<String>path("requestedBy")).isEqualTo("admin");
            export = awaitCompleted(ws, exportId).path("export");
        }
        assertThat(export.at("/gateway/inbox/0/message/body").asText()).isEqualTo("Thank you, Grace!");
        assertThat(export.at("/profile-service/profile/traits/email").asText()).isEqualTo("grace@example.com");
        assertThat(export.at("/profile-service/events").size()).isEqualTo(2);
        assertThat(export.at("/segment-service/segments/0/segmentId").asText()).isEqualTo(segmentId);
        assertThat(export.at("/trigger-service/deliveries")).extracting(delivery -> delivery.path("triggerId").asText())
                .contains(triggerId);
        assertThat(export.at("/consent-service/currentConsents/0/channel").asText()).isEqualTo("sms");

        // Suppress: erased in every service, each of which reports.
        Response erasure = admin.post("{ws}/privacy-requests", Map.of("profileId", profileId, "kind", "suppress"), ws);
        erasure.then().statusCode(202);
        String erasureId = erasure.path("id");
        // Asked again: the same request while it is open (200); every service may already have erased the
        // customer, and then it is a new request (202). consent-service's PrivacyRequestsTest holds one open.
        Response again = admin.post("{ws}/privacy-requests", Map.of("profileId", profileId, "kind", "suppress"), ws);
        assertThat(again.statusCode()).isIn(200, 202);
        if (again.statusCode() == 200) {
            assertThat(again.<String>path("id")).isEqualTo(erasureId);
        }
        JsonNode erased = awaitCompleted(ws, erasureId);
        assertThat(erased.path("jurisdiction").asText()).isEqualTo("US-CA");
        assertThat(erased.path("deadline").asText()).isNotEmpty();
        assertThat(erased.path("services")).extracting(service -> service.path("service").asText() + "=" + service.path("state").asText())
                .containsExactlyInAnyOrderElementsOf(SERVICES.stream().map(service -> service + "=done").toList());
        assertThat(erased.path("audit")).extracting(entry -> entry.path("action").asText())
                .startsWith("submitted", "published").endsWith("completed");

        admin.get("{ws}/profiles/{id}", ws, profileId).then().statusCode(404);
        // Asked again once the profile is gone: the request that erased it answers.
        assertThat(admin.post("{ws}/privacy-requests", Map.of("profileId", profileId, "kind", "suppress"), ws)
                .then().statusCode(200).extract().<String>path("id")).isEqualTo(erasureId);
        assertThat(admin.get("{ws}/segments/{id}/members", ws, segmentId).then().statusCode(200).extract()
                .<List<String>>path("members.profileId")).doesNotContain(profileId);
        assertThat(admin.get("{ws}/triggers/{id}/deliveries", ws, triggerId).then().statusCode(200).extract()
                .<List<?>>path("deliveries")).isEmpty();
        assertThat(admin.get("{ws}/privacy-requests", ws).then().statusCode(200).extract().<List<String>>path("requests.id"))
                .startsWith(erasureId, exportId);

        // The customer's later events stay out, and fire nothing.
        Admin.ingest(writeKey, "track", Map.of("userId", "u-7", "event", "Order Completed")).then().statusCode(200);
        Admin.ingest(writeKey, "identify", Map.of("userId", "u-8")).then().statusCode(200);
        await("the next customer").atMost(DEADLINE).untilAsserted(() ->
                admin.get("{ws}/profiles?identifier=userId:u-8", ws).then().statusCode(200));
        admin.get("{ws}/profiles?identifier=userId:u-7", ws).then().statusCode(404);
        assertThat(provider.forTrigger(triggerId)).hasSize(1);
    }

    private static JsonNode awaitCompleted(String ws, String requestId) {
        return await("privacy request " + requestId + " completed").atMost(DEADLINE).until(
                () -> JSON.readTree(admin.get("{ws}/privacy-requests/{id}", ws, requestId).then().statusCode(200).extract().asString()),
                request -> request.path("state").asText().equals("completed"));
    }
}
