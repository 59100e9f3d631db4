package io.kairos.trigger.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kairos.api.trigger.ChannelProviderRef;
import io.kairos.api.trigger.CreateTriggerRequest;
import io.kairos.api.trigger.Delivery;
import io.kairos.api.trigger.ListChannelProvidersRequest;
import io.kairos.api.trigger.ListDeliveriesRequest;
import io.kairos.api.trigger.SetChannelProviderRequest;
import io.kairos.api.trigger.TriggerServiceGrpc;
import io.kairos.trigger.domain.Firing;
import io.kairos.trigger.testing.KafkaTopics;
import io.kairos.trigger.testing.ScriptedConsentService;
import io.kairos.trigger.testing.WebhookReceiver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.kairos.trigger.stream.TriggerFiringTest.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Email, sms and push actions without a webhook of their own go out through the workspace's
 * provider, in that provider's shape (SendGrid's mail/send JSON, Twilio's form-encoded Messages,
 * FCM's message JSON) with its credentials; a local receiver stands in for the providers.
 */
@QuarkusTest
class ProviderSendTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static WebhookReceiver providers;
    private static KafkaTopics kafka;

    @GrpcClient("trigger")
    TriggerServiceGrpc.TriggerServiceBlockingStub triggers;

    @Inject
    @GrpcService
    ScriptedConsentService consent;

    private final String workspace = "ws-" + UUID.randomUUID();

    @BeforeAll
    static void startCollaborators() throws IOException {
        providers = new WebhookReceiver();
        kafka = new KafkaTopics();
    }

    @AfterAll
    static void stopCollaborators() {
        providers.close();
        kafka.close();
    }

    @Test
    void anEmailGoesThroughTheWorkspacesSendGridShapedProviderWithItsKeyAndTheRecipientsAddress() {
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        setProvider("email", """
                {"kind": "sendgrid", "url": "%s", "apiKey": "SG.key-1", "from": {"email": "shop@example.com", "name": "Shop"}}"""
                .formatted(providers.url("/send")));
        String triggerId = create("email", "Welcome");

        String messageId = UUID.randomUUID().toString();
        kafka.send(KafkaTopics.RESOLVED, workspace + ":" + profile, track(workspace, profile, messageId, "Signed Up",
                "{\"plan\": \"pro\"}", "{\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}"));

        String firingId = Firing.firingId(UUID.fromString(triggerId), messageId).toString();
        await().atMost(DEADLINE).until(() -> providers.forKey(firingId).size() == 1);
        WebhookReceiver.Received mail = providers.forKey(firingId).getFirst();
        assertThat(mail.headers()).containsEntry("authorization", "Bearer SG.key-1");
        JsonNode body = mail.json();
        assertThat(body.at("/personalizations/0/to/0/email").asText()).isEqualTo("ada@example.com");
        assertThat(body.at("/personalizations/0/custom_args/kairos_firing_id").asText()).isEqualTo(firingId);
        assertThat(body.at("/from/email").asText()).isEqualTo("shop@example.com");
        assertThat(body.at("/from/name").asText()).isEqualTo("Shop");
        assertThat(body.at("/subject").asText()).isEqualTo("Welcome, Ada");
        assertThat(body.at("/content/0/type").asText()).isEqualTo("text/plain");
        assertThat(body.at("/content/0/value").asText()).isEqualTo("Your plan: pro");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(triggerId))
                .extracting(Delivery::getOutcome).containsExactly("sent"));
    }

    @Test
    void anSmsGoesThroughTheTwilioShapedProviderAndAProfileWithoutAPhoneIsSkipped() {
        String withPhone = "p-" + UUID.randomUUID();
        String withoutPhone = "p-" + UUID.randomUUID();
        consent.allow(workspace, withPhone);
        consent.allow(workspace, withoutPhone);
        setProvider("sms", """
                {"kind": "twilio", "url": "%s", "accountSid": "AC123", "authToken": "tok-1", "from": "+15550001111"}"""
                .formatted(providers.url("/send")));
        String triggerId = create("sms", null);

        String messageId = UUID.randomUUID().toString();
        kafka.send(KafkaTopics.RESOLVED, workspace + ":" + withPhone, track(workspace, withPhone, messageId, "Signed Up",
                "{\"plan\": \"pro & more\"}", "{\"phone\": \"+4915112345678\"}"));
        kafka.send(KafkaTopics.RESOLVED, workspace + ":" + withoutPhone, track(workspace, withoutPhone,
                UUID.randomUUID().toString(), "Signed Up", "{\"plan\": \"free\"}", "{}"));

        String firingId = Firing.firingId(UUID.fromString(triggerId), messageId).toString();
        await().atMost(DEADLINE).until(() -> providers.forKey(firingId).size() == 1);
        WebhookReceiver.Received sms = providers.forKey(firingId).getFirst();
        assertThat(sms.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(sms.headers()).containsEntry("authorization",
                "Basic " + Base64.getEncoder().encodeToString("AC123:tok-1".getBytes(StandardCharsets.UTF_8)));
        assertThat(sms.headers()).containsEntry("i-twilio-idempotency-token", firingId);
        assertThat(URLDecoder.decode(sms.text(), StandardCharsets.UTF_8))
                .isEqualTo("To=+4915112345678&From=+15550001111&Body=Your plan: pro & more");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(triggerId))
                .extracting(Delivery::getProfileId, Delivery::getOutcome, Delivery::getReason).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(withPhone, "sent", ""),
                        org.assertj.core.groups.Tuple.tuple(withoutPhone, "skipped", "no address: the profile has no phone trait")));
    }

    @Test
    void withoutAProviderTheFiringFailsWithTheReason() {
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        String triggerId = create("push", "Hello");

        kafka.send(KafkaTopics.RESOLVED, workspace + ":" + profile, track(workspace, profile, UUID.randomUUID().toString(),
                "Signed Up", "{\"plan\": \"pro\"}", "{\"pushToken\": \"device-1\"}"));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(triggerId)).singleElement().satisfies(failed -> {
            assertThat(failed.getOutcome()).isEqualTo("failed");
            assertThat(failed.getReason()).isEqualTo("provider: the workspace has no push provider and the action no webhook");
        }));
    }

    @Test
    void credentialsAreWriteOnlyAndKeptWhenSettingsAreSentBackMasked() {
        setProvider("push", """
                {"kind": "fcm", "url": "%s", "accessToken": "ya29.token"}""".formatted(providers.url("/send")));
        String read = triggers.listChannelProviders(ListChannelProvidersRequest.newBuilder().setWorkspace(workspace).build())
                .getProvidersList().getFirst().getSettingsJson().toStringUtf8();
        assertThat(read).contains("\"accessToken\":\"********\"").doesNotContain("ya29");

        setProvider("push", read.replace(providers.url("/send"), providers.url("/send?v=2")));
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        String triggerId = create("push", "Hello");
        String messageId = UUID.randomUUID().toString();
        kafka.send(KafkaTopics.RESOLVED, workspace + ":" + profile, track(workspace, profile, messageId,
                "Signed Up", "{\"plan\": \"pro\"}", "{\"pushToken\": \"device-1\"}"));

        String firingId = Firing.firingId(UUID.fromString(triggerId), messageId).toString();
        await().atMost(DEADLINE).until(() -> providers.forKey(firingId).size() == 1);
        WebhookReceiver.Received push = providers.forKey(firingId).getFirst();
        assertThat(push.headers()).containsEntry("authorization", "Bearer ya29.token");
        assertThat(push.json().at("/message/token").asText()).isEqualTo("device-1");
        assertThat(push.json().at("/message/notification/title").asText()).isEqualTo("Hello");
        assertThat(push.json().at("/message/data/kairos_firing_id").asText()).isEqualTo(firingId);

        assertThatThrownBy(() -> setProvider("push", "{\"kind\": \"sendgrid\"}")).isInstanceOfSatisfying(
                StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> setProvider("webhook", "{\"kind\": \"fcm\"}")).isInstanceOfSatisfying(
                StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription()).contains("email, sms and push"));
        triggers.deleteChannelProvider(ChannelProviderRef.newBuilder().setWorkspace(workspace).setChannel("push").build());
        assertThat(triggers.listChannelProviders(ListChannelProvidersRequest.newBuilder().setWorkspace(workspace).build())
                .getProvidersList()).isEmpty();
    }

    private void setProvider(String channel, String settings) {
        triggers.setChannelProvider(SetChannelProviderRequest.newBuilder().setWorkspace(workspace).setChannel(channel)
                .setSettingsJson(ByteString.copyFromUtf8(settings)).build());
    }

    /** A trigger on Signed Up whose action has no webhook; subject null for a channel without one. */
    private String create(String channel, String subject) {
        String template = subject == null ? "{\"body\": \"Your plan: {event.properties.plan}\"}"
                : "{\"subject\": \"" + subject + "{#if profile.traits.firstName}, {profile.traits.firstName}{/if}\", "
                + "\"body\": \"Your plan: {event.properties.plan}\"}";
        String definition = """
                {"name": "Welcome by %s", "when": {"event": "Signed Up"}, "respectQuietHours": false,
                 "action": {"channel": "%s", "purpose": "marketing", "template": %s}}""".formatted(channel, channel, template);
        return triggers.createTrigger(CreateTriggerRequest.newBuilder().setWorkspace(workspace)
                .setDefinitionJson(ByteString.copyFromUtf8(definition)).build()).getTriggerId();
    }

    private List<Delivery> deliveries(String triggerId) {
        return triggers.listDeliveries(ListDeliveriesRequest.newBuilder().setWorkspace(workspace).setTriggerId(triggerId)
                .build()).getDeliveriesList();
    }
}
