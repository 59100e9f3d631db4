package io.kairos.trigger.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

class DeliveryRulesTest {

    @Test
    void secretsAreMaskedInACopy() {
        Map<String, Object> definition = JsonTrees.object(TriggerDefinitionParserTest.CART_RECOVERY);

        Map<String, Object> redacted = SecretRedaction.redact(definition);

        assertThat(redacted).extracting("action").extracting("webhook")
                .isEqualTo(Map.of("url", "https://provider.example/send", "secret", SecretRedaction.MASK));
        assertThat(definition).extracting("action").extracting("webhook").extracting("secret").isEqualTo("s3cret");
        assertThat(redacted).extracting("name", "when").containsExactly(definition.get("name"), definition.get("when"));
    }

    @Test
    void anEditThatLeavesTheSecretOutOrMaskedKeepsTheStoredOne() {
        Map<String, Object> stored = JsonTrees.object(TriggerDefinitionParserTest.CART_RECOVERY);
        Map<String, Object> edited = JsonTrees.edit(JsonTrees.edit(stored, "/action/webhook/secret", null),
                "/action/webhook/url", "\"https://other.example/send\"");
        Map<String, Object> masked = SecretRedaction.redact(stored);
        Map<String, Object> nulled = JsonTrees.edit(stored, "/action/webhook/secret", "null");

        for (Map<String, Object> edit : List.of(edited, masked, nulled)) {
            assertThat(SecretRedaction.keepStoredSecret(edit, stored)).extracting("action").extracting("webhook")
                    .extracting("secret").isEqualTo("s3cret");
        }
        assertThat(SecretRedaction.keepStoredSecret(edited, stored)).extracting("action").extracting("webhook")
                .extracting("url").isEqualTo("https://other.example/send");
        assertThat(edited).extracting("action").extracting("webhook").asInstanceOf(MAP).doesNotContainKey("secret");
    }

    @Test
    void anEditWithASecretReplacesItAndWithoutAStoredSecretNothingIsInvented() {
        Map<String, Object> stored = JsonTrees.object(TriggerDefinitionParserTest.CART_RECOVERY);
        Map<String, Object> newSecret = JsonTrees.edit(stored, "/action/webhook/secret", "\"n3w\"");
        Map<String, Object> inApp = JsonTrees.edit(stored, "/action", """
                {"channel": "in_app", "purpose": "marketing", "template": {"body": "hi"}}""");
        Map<String, Object> noSecret = JsonTrees.edit(stored, "/action/webhook/secret", null);

        assertThat(SecretRedaction.keepStoredSecret(newSecret, stored)).isEqualTo(newSecret);
        assertThat(SecretRedaction.keepStoredSecret(inApp, stored)).isEqualTo(inApp);
        assertThat(SecretRedaction.keepStoredSecret(noSecret, inApp)).isEqualTo(noSecret);
    }

    @Test
    void consentReasonsSayWhatWasDecidedForWhichPurposeAndChannel() {
        assertThat(DeliveryRecord.consentReason(new ConsentDecision.Deny("no consent on record"), "marketing", Channel.EMAIL))
                .isEqualTo("consent: denied (marketing/email): no consent on record");
        assertThat(DeliveryRecord.consentReason(new ConsentDecision.Deny(""), "marketing", Channel.SMS))
                .isEqualTo("consent: denied (marketing/sms)");
        assertThat(DeliveryRecord.consentReason(new ConsentDecision.Defer(Instant.parse("2025-01-01T08:00:00Z"), "quiet hours"),
                "marketing", Channel.PUSH))
                .isEqualTo("consent: deferred until 2025-01-01T08:00:00Z (marketing/push): quiet hours");
        assertThat(DeliveryRecord.consentReason(new ConsentDecision.Deny(""), "marketing", Channel.WEBHOOK))
                .as("the scope is what consent was asked about").isEqualTo("consent: denied (marketing/all)");
        assertThat(DeliveryRecord.consentReason(new ConsentDecision.Rejected("channel 'x' is not one of email, all"),
                "marketing", Channel.EMAIL))
                .isEqualTo("consent check rejected: channel 'x' is not one of email, all");
        assertThatThrownBy(() -> DeliveryRecord.consentReason(new ConsentDecision.Allow(), "marketing", Channel.EMAIL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inboxChannelsAskConsentForThemselvesAndMachineChannelsForThePurpose() {
        assertThat(Channel.EMAIL.consentChannel()).isEqualTo("email");
        assertThat(Channel.SMS.consentChannel()).isEqualTo("sms");
        assertThat(Channel.PUSH.consentChannel()).isEqualTo("push");
        assertThat(Channel.IN_APP.consentChannel()).isEqualTo("in_app");
        assertThat(Channel.WEBHOOK.consentChannel()).isEqualTo("all");
        assertThat(Channel.KAFKA.consentChannel()).isEqualTo("all");
    }

    @Test
    void everyChannelAsksConsentInConsentServicesVocabulary() {
        assertThat(Channel.values()).extracting(Channel::consentChannel)
                .allSatisfy(asked -> assertThat(asked).isIn("email", "sms", "push", "in_app", "web", "all"));
    }

    @Test
    void webhookPayloadsKeepTheDocumentedFieldOrder() {
        TriggerCause event = new TriggerCause.ObservedEvent("msg-1", "track", "Product Added", "web",
                Instant.EPOCH, Map.of(), Map.of());
        Firing firing = Firing.of(UUID.randomUUID(), "ws", "p1", event, Instant.EPOCH);

        Map<String, Object> payload = WebhookPayload.of(firing, Channel.EMAIL, new RenderedMessage("s", "b"),
                Map.of("firstName", "Ada"));

        assertThat(payload.keySet()).containsExactly("triggerId", "firingId", "workspace", "profileId", "channel",
                "message", "event", "profile", "firedAt");
        assertThat(payload.get("profile")).isInstanceOfSatisfying(Map.class, profile ->
                assertThat(profile.keySet()).containsExactly("id", "traits"));
    }

    @Test
    void onlyFailedDeliveriesMayBeTriedAgain() {
        assertThat(DeliveryOutcome.SENT.isFinal()).isTrue();
        assertThat(DeliveryOutcome.SKIPPED.isFinal()).isTrue();
        assertThat(DeliveryOutcome.FAILED.isFinal()).isFalse();
        assertThat(DeliveryOutcome.DEFERRED.isFinal()).as("a deferred firing still fires").isFalse();
        assertThat(DeliveryOutcome.fromWireName("skipped")).isEqualTo(DeliveryOutcome.SKIPPED);
    }

    @Test
    void webhookRetriesBackOffExponentiallyUpToACap() {
        WebhookRetryPolicy policy = new WebhookRetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(3));

        assertThat(policy.backoffBefore(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoffBefore(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffBefore(4)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoffBefore(5)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.backoffBefore(60)).isEqualTo(Duration.ofSeconds(3));
        // With jitter: between half and all of it.
        assertThat(policy.backoffBefore(3, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoffBefore(3, 0.5)).isEqualTo(Duration.ofMillis(750));
        assertThat(policy.backoffBefore(3, 0.999_999)).isLessThan(Duration.ofSeconds(1)).isGreaterThan(Duration.ofMillis(999));
    }

    @Test
    void onlyTransientHttpFailuresAreRetried() {
        assertThat(WebhookRetryPolicy.accepted(202)).isTrue();
        assertThat(WebhookRetryPolicy.accepted(302)).isFalse();
        assertThat(WebhookRetryPolicy.retryable(503)).isTrue();
        assertThat(WebhookRetryPolicy.retryable(429)).isTrue();
        assertThat(WebhookRetryPolicy.retryable(408)).isTrue();
        assertThat(WebhookRetryPolicy.retryable(400)).isFalse();
        assertThat(WebhookRetryPolicy.retryable(410)).isFalse();
    }

    @Test
    void pageTokensRoundTripAndRejectForgeries() {
        DeliveryCursor cursor = new DeliveryCursor(Instant.ofEpochMilli(1_700_000_000_123L), UUID.randomUUID());

        assertThat(DeliveryCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThatThrownBy(() -> DeliveryCursor.decode("not-a-token")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeliveryCursor.decode("")).isInstanceOf(IllegalArgumentException.class);
    }
}
