package io.kairos.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * One customer's events flow through all five services: gateway -> profile-service ->
 * segment-service -> trigger-service (asking consent-service) -> a signed webhook.
 */
class FoundationFlowIT {

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
    void segmentEntryAndEventFireSignedWebhooksUntilConsentIsDenied() {
        String ws = admin.newWorkspace();
        String writeKey = admin.newWriteKey(ws, "web");
        String secret = "s3cret-" + ws;
        Map<String, Object> webhook = Map.of("url", provider.url(), "secret", secret);

        String segmentId = admin.post("{ws}/segments", Map.of(
                        "name", "Pro plan",
                        "condition", Map.of("all", List.of(Map.of("trait", "plan", "eq", "pro")))), ws)
                .then().statusCode(201).extract().path("id");
        String welcomeId = admin.post("{ws}/triggers", Map.of(
                        "name", "Welcome to pro",
                        "when", Map.of("segmentEntered", segmentId),
                        "action", Map.of("channel", "email", "purpose", "marketing", "webhook", webhook,
                                "template", Map.of("subject", "Welcome, {profile.traits.name}", "body", "Enjoy pro."))), ws)
                .then().statusCode(201).extract().path("id");
        String cartId = admin.post("{ws}/triggers", Map.of(
                        "name", "Product added",
                        "when", Map.of("event", "Product Added"),
                        "action", Map.of("channel", "email", "purpose", "marketing", "webhook", webhook,
                                "template", Map.of("subject", "You added {event.properties.name}", "body", "See you soon."))), ws)
                .then().statusCode(201).extract().path("id");

        // 1. identify: a profile with plan=pro enters the segment; the segmentEntered trigger fires.
        Admin.ingest(writeKey, "identify", Map.of("userId", "u-1", "anonymousId", "anon-1",
                        "traits", Map.of("plan", "pro", "name", "Ada", "email", "ada@example.com")))
                .then().statusCode(200).body("success", equalTo(true));

        await("welcome webhook").atMost(Duration.ofSeconds(30))
                .until(() -> provider.forTrigger(welcomeId).size() == 1);
        WebhookReceiver.Received welcome = provider.forTrigger(welcomeId).getFirst();
        assertThat(welcome.signedWith(secret)).as("HMAC signature").isTrue();
        assertThat(welcome.idempotencyKey()).isEqualTo(welcome.json().path("firingId").asText()).isNotBlank();
        assertThat(welcome.json().path("workspace").asText()).isEqualTo(ws);
        assertThat(welcome.json().path("channel").asText()).isEqualTo("email");
        assertThat(welcome.json().at("/message/subject").asText()).isEqualTo("Welcome, Ada");
        String profileId = welcome.json().path("profileId").asText();

        // The profile is one, found by either identifier, and knows its segment.
        admin.get("{ws}/profiles?identifier=userId:u-1", ws).then().statusCode(200).body("id", equalTo(profileId));
        admin.get("{ws}/profiles?identifier=anonymousId:anon-1", ws).then().statusCode(200).body("id", equalTo(profileId));
        await("profile segments").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin.get("{ws}/profiles/{id}/segments", ws, profileId).then().statusCode(200)
                        .extract().<List<String>>path("segments.segmentId")).containsExactly(segmentId));

        // 2. an event trigger, keyed only by the anonymous id, reaches the same profile.
        Admin.ingest(writeKey, "track", Map.of("anonymousId", "anon-1", "event", "Product Added",
                "properties", Map.of("name", "Trail shoes", "price", 89.5))).then().statusCode(200);
        await("cart webhook").atMost(Duration.ofSeconds(30)).until(() -> provider.forTrigger(cartId).size() == 1);
        WebhookReceiver.Received cart = provider.forTrigger(cartId).getFirst();
        assertThat(cart.signedWith(secret)).isTrue();
        assertThat(cart.json().path("profileId").asText()).isEqualTo(profileId);
        assertThat(cart.json().at("/message/subject").asText()).isEqualTo("You added Trail shoes");

        // 3. consent denied: the next firing is recorded as skipped and never delivered.
        admin.put("{ws}/profiles/{id}/consents", Map.of("purpose", "marketing", "channel", "email",
                "status", "denied", "source", "preference-center"), ws, profileId).then().statusCode(200);
        Admin.ingest(writeKey, "track", Map.of("userId", "u-1", "event", "Product Added",
                "properties", Map.of("name", "Rain jacket"))).then().statusCode(200);

        await("skipped delivery").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> deliveries = admin.get("{ws}/triggers/{id}/deliveries", ws, cartId)
                    .then().statusCode(200).extract().path("deliveries");
            assertThat(deliveries).anySatisfy(d -> {
                assertThat(d.get("outcome")).isEqualTo("skipped");
                assertThat(String.valueOf(d.get("reason"))).contains("consent");
            });
        });
        assertThat(provider.forTrigger(cartId)).as("nothing delivered after consent was denied").hasSize(1);
    }
}
