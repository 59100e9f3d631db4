package io.kairos.e2e;

import io.restassured.common.mapper.TypeRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * A trigger's life through the gateway: created, paused (an event fires nothing), resumed (the
 * webhook receives again), then edited by sending back what a read returned, changed, without
 * ever knowing its secret.
 */
class TriggerLifecycleIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

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
    void aPausedTriggerFiresNothingAResumedOneFiresAgainAndAnEditKeepsTheSecret() {
        String ws = admin.newWorkspace();
        String writeKey = admin.newWriteKey(ws, "web");
        String secret = "s3cret-" + ws;
        String triggerId = admin.post("{ws}/triggers", trigger("Cart nudge", "You added {event.properties.name}", secret), ws)
                .then().statusCode(201)
                .body("status", equalTo("active")).body("version", equalTo(1)).body("updatedAt", notNullValue())
                .extract().path("id");
        // Fires on the same events: once it has received one, the paused trigger was passed over for it.
        String witnessId = admin.post("{ws}/triggers", trigger("Witness", "seen", secret), ws)
                .then().statusCode(201).extract().path("id");

        // 1. paused: the event reaches trigger-service and fires the witness only.
        admin.request().post("/api/v1/workspaces/{ws}/triggers/{id}/pause", ws, triggerId)
                .then().statusCode(200).body("id", equalTo(triggerId)).body("status", equalTo("paused"))
                .body("version", equalTo(1));
        admin.get("{ws}/triggers/{id}", ws, triggerId).then().statusCode(200).body("status", equalTo("paused"));
        addToCart(writeKey, "Trail shoes");
        await("witness of the first event").atMost(DEADLINE).until(() -> provider.forTrigger(witnessId).size() == 1);
        assertThat(provider.forTrigger(triggerId)).as("a paused trigger fires nothing").isEmpty();
        assertThat(deliveries(ws, triggerId)).isEmpty();

        // 2. resumed: the next event fires it again.
        admin.request().post("/api/v1/workspaces/{ws}/triggers/{id}/resume", ws, triggerId)
                .then().statusCode(200).body("status", equalTo("active"));
        addToCart(writeKey, "Rain jacket");
        await("resumed trigger fires").atMost(DEADLINE).until(() -> provider.forTrigger(triggerId).size() == 1);
        WebhookReceiver.Received resumed = provider.forTrigger(triggerId).getFirst();
        assertThat(resumed.json().at("/message/subject").asText()).isEqualTo("You added Rain jacket");
        assertThat(resumed.signedWith(secret)).isTrue();

        // 3. edited: what a read returns (secret masked), changed and sent back against its version.
        var response = admin.get("{ws}/triggers/{id}", ws, triggerId).then().statusCode(200).extract();
        String etag = response.header("ETag");
        Map<String, Object> read = response.as(new TypeRef<>() {
        });
        assertThat(etag).isEqualTo("\"1\"");
        assertThat(String.valueOf(read)).doesNotContain(secret);
        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) read.get("action")).get("template");
        template.put("subject", "Still thinking about {event.properties.name}?");
        admin.request().header("If-Match", etag).body(read)
                .put("/api/v1/workspaces/{ws}/triggers/{id}", ws, triggerId)
                .then().statusCode(200).header("ETag", "\"2\"")
                .body("version", equalTo(2)).body("status", equalTo("active"))
                .body("action.template.subject", equalTo("Still thinking about {event.properties.name}?"))
                .body("action.webhook.secret", equalTo("********"));
        admin.request().header("If-Match", etag).body(read)
                .put("/api/v1/workspaces/{ws}/triggers/{id}", ws, triggerId)
                .then().statusCode(409).contentType("application/problem+json")
                .body("reason", equalTo("VERSION_CONFLICT"));

        addToCart(writeKey, "Wool socks");
        await("edited trigger fires").atMost(DEADLINE).until(() -> provider.forTrigger(triggerId).size() == 2);
        WebhookReceiver.Received edited = provider.forTrigger(triggerId).get(1);
        assertThat(edited.json().at("/message/subject").asText()).isEqualTo("Still thinking about Wool socks?");
        assertThat(edited.signedWith(secret)).as("signed with the secret the edit never saw").isTrue();
        await("deliveries logged").atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(ws, triggerId))
                .extracting(d -> d.get("outcome")).containsExactly("sent", "sent"));
        await("witness of every event").atMost(DEADLINE).until(() -> provider.forTrigger(witnessId).size() == 3);

        // 4. the profile's own delivery log spans every trigger, and a dry run says what would happen now.
        String profileId = edited.json().path("profileId").asText();
        await("the profile's deliveries").atMost(DEADLINE).untilAsserted(() -> assertThat(
                admin.get("{ws}/profiles/{id}/deliveries", ws, profileId).then().statusCode(200)
                        .extract().<List<Map<String, Object>>>path("deliveries"))
                .extracting(d -> d.get("triggerId")).containsOnly(triggerId, witnessId).hasSize(5));
        admin.post("{ws}/triggers/{id}/dry-run", Map.of("profileId", profileId,
                        "event", Map.of("event", "Product Added", "properties", Map.of("name", "Boots"))), ws, triggerId)
                .then().statusCode(200)
                .body("outcome", equalTo("send")).body("channel", equalTo("email"))
                .body("message.subject", equalTo("Still thinking about Boots?"))
                .body("checks.check", equalTo(List.of("status", "entry", "reentry", "audience", "frequency_cap",
                        "consent", "template")));
        admin.post("{ws}/triggers/{id}/dry-run", Map.of("event", Map.of("event", "Product Added")), ws, triggerId)
                .then().statusCode(400).body("reason", equalTo("MISSING_FIELD"));
        admin.post("{ws}/triggers/{id}/dry-run", Map.of("profileId", java.util.UUID.randomUUID().toString()), ws, triggerId)
                .then().statusCode(404).body("reason", equalTo("PROFILE_NOT_FOUND"));
        assertThat(provider.forTrigger(triggerId)).as("a dry run sends nothing").hasSize(2);
    }

    private static Map<String, Object> trigger(String name, String subject, String secret) {
        return Map.of("name", name,
                "when", Map.of("event", "Product Added"),
                "action", Map.of("channel", "email", "purpose", "marketing",
                        "webhook", Map.of("url", provider.url(), "secret", secret),
                        "template", Map.of("subject", subject, "body", "See you soon.")));
    }

    private static void addToCart(String writeKey, String product) {
        Admin.ingest(writeKey, "track", Map.of("userId", "u-1", "event", "Product Added",
                "properties", Map.of("name", product))).then().statusCode(200);
    }

    private static List<Map<String, Object>> deliveries(String ws, String triggerId) {
        return admin.get("{ws}/triggers/{id}/deliveries", ws, triggerId).then().statusCode(200)
                .extract().path("deliveries");
    }
}
