package io.kairos.trigger.api;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kairos.api.trigger.CreateTriggerRequest;
import io.kairos.api.trigger.Delivery;
import io.kairos.api.trigger.DryRunCheck;
import io.kairos.api.trigger.DryRunTriggerRequest;
import io.kairos.api.trigger.DryRunTriggerResponse;
import io.kairos.api.trigger.ListDeliveriesRequest;
import io.kairos.api.trigger.TriggerRef;
import io.kairos.api.trigger.TriggerServiceGrpc;
import io.kairos.trigger.testing.ScriptedConsentService;
import io.kairos.trigger.testing.ScriptedProfileService;
import io.kairos.trigger.testing.ScriptedSegmentService;
import io.kairos.trigger.testing.WebhookReceiver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A dry run tells what a trigger would do for a profile now and why, through the checks a firing
 * really goes through (the delivery log, the scripted consent, segment and profile services), and
 * leaves nothing behind: no request, no delivery, no wait.
 */
@QuarkusTest
class TriggerDryRunTest {

    private static WebhookReceiver receiver;

    @GrpcClient("trigger")
    TriggerServiceGrpc.TriggerServiceBlockingStub triggers;

    @Inject
    @GrpcService
    ScriptedConsentService consent;

    @Inject
    @GrpcService
    ScriptedSegmentService segments;

    @Inject
    @GrpcService
    ScriptedProfileService profiles;

    private final String workspace = "ws-" + UUID.randomUUID();
    private final String profile = "p-" + UUID.randomUUID();

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aTriggerThatWouldSendShowsTheMessageAsTheRecipientWouldReadItAndSendsNothing() {
        profiles.profile(workspace, profile, """
                {"firstName": "Lena", "$locale": "de-DE", "$timezone": "Europe/Berlin"}""");
        consent.allow(workspace, profile);
        String triggerId = create("""
                {"name": "Price drop", "when": {"event": "Product Viewed", "where": [{"property": "price", "gte": 100}]}, %s}""");

        DryRunTriggerResponse run = dryRun(triggerId, """
                {"event": "Product Viewed", "properties": {"name": "Boots", "price": 1299.5}}""");

        assertThat(run.getOutcome()).isEqualTo("send");
        assertThat(run.getReason()).isEmpty();
        assertThat(run.getChannel()).isEqualTo("email");
        assertThat(run.getMessageJson().toStringUtf8())
                .isEqualTo("{\"subject\":\"Boots\",\"body\":\"Hallo Lena, 1.299,50\u00a0€\"}");
        assertThat(run.getChecksList()).extracting(DryRunCheck::getCheck, DryRunCheck::getVerdict).containsExactly(
                tuple("status", "pass"), tuple("entry", "pass"), tuple("reentry", "pass"), tuple("audience", "pass"),
                tuple("frequency_cap", "pass"), tuple("consent", "pass"), tuple("template", "pass"));
        assertThat(receiver.forTrigger(triggerId)).isEmpty();
        assertThat(deliveries(triggerId)).isEmpty();
    }

    @Test
    void everyReasonShowsAndTheFirstInFiringOrderDecides() {
        profiles.profile(workspace, profile, "{}");
        consent.deny(workspace, profile, "no marketing email consent");
        String triggerId = create("""
                {"name": "VIP only", "when": {"event": "Product Viewed"}, "audience": {"segment": "seg-vip"}, %s}""");

        DryRunTriggerResponse run = dryRun(triggerId, null);

        assertThat(run.getOutcome()).isEqualTo("skip");
        assertThat(run.getReason()).isEqualTo("audience: not a member of segment seg-vip");
        assertThat(run.getChecksList()).filteredOn(check -> check.getVerdict().equals("fail"))
                .extracting(DryRunCheck::getCheck, DryRunCheck::getDetail).containsExactly(
                        tuple("audience", "audience: not a member of segment seg-vip"),
                        tuple("consent", "consent: denied (marketing/email): no marketing email consent"));

        segments.enter(workspace, profile, "seg-vip");
        assertThat(dryRun(triggerId, null).getReason()).startsWith("consent: denied");
    }

    @Test
    void anEventThatDoesNotMatchAndAPausedTriggerStartNothing() {
        profiles.profile(workspace, profile, "{}");
        consent.allow(workspace, profile);
        String triggerId = create("""
                {"name": "Big carts", "when": {"event": "Product Added", "where": [{"property": "price", "gte": 100}]}, %s}""");

        DryRunTriggerResponse small = dryRun(triggerId, "{\"event\": \"Product Added\", \"properties\": {\"price\": 5}}");
        assertThat(small.getOutcome()).isEqualTo("no_entry");
        assertThat(small.getReason()).isEqualTo("the event does not match the event \"Product Added\" with its 1 filter(s)");

        triggers.pauseTrigger(TriggerRef.newBuilder().setWorkspace(workspace).setTriggerId(triggerId).build());
        DryRunTriggerResponse paused = dryRun(triggerId, "{\"event\": \"Product Added\", \"properties\": {\"price\": 500}}");
        assertThat(paused.getOutcome()).isEqualTo("no_entry");
        assertThat(paused.getReason()).contains("paused");
    }

    @Test
    void aWaitingTriggerSaysWhenItWouldBeDueAndQuietHoursWhenTheyEnd() {
        profiles.profile(workspace, profile, "{}");
        Instant quietUntil = Instant.now().plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        consent.quietUntil(workspace, profile, quietUntil);
        String waiting = create("""
                {"name": "Cart recovery", "when": {"event": "Product Added"},
                 "unless": {"event": "Order Completed", "within": "PT30M"}, %s}""");
        String direct = create("""
                {"name": "Browse nudge", "when": {"event": "Product Viewed"}, %s}""");
        Instant before = Instant.now();

        DryRunTriggerResponse recovery = dryRun(waiting, null);
        assertThat(recovery.getOutcome()).isEqualTo("wait");
        assertThat(Instant.ofEpochMilli(recovery.getAtMs())).isBetween(before.plus(30, ChronoUnit.MINUTES).minusMillis(1),
                Instant.now().plus(30, ChronoUnit.MINUTES));
        assertThat(recovery.getReason()).contains("\"Order Completed\" before then cancels it");

        DryRunTriggerResponse nudge = dryRun(direct, null);
        assertThat(nudge.getOutcome()).isEqualTo("defer");
        assertThat(nudge.getAtMs()).isEqualTo(quietUntil.toEpochMilli());
        assertThat(deliveries(waiting)).isEmpty();
        assertThat(deliveries(direct)).isEmpty();
    }

    @Test
    void unknownTriggersProfilesAndMalformedEventsAreRefused() {
        String triggerId = create("""
                {"name": "Welcome", "when": {"event": "Signed Up"}, %s}""");

        assertThatThrownBy(() -> dryRun(triggerId, null)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(e.getStatus().getDescription()).contains("no profile " + profile);
        });
        profiles.profile(workspace, profile, "{}");
        assertThatThrownBy(() -> dryRun(UUID.randomUUID().toString(), null)).isInstanceOfSatisfying(
                StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> dryRun(triggerId, "{\"properties\": {}}")).isInstanceOfSatisfying(
                StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("\"event\" name");
                });
    }

    private DryRunTriggerResponse dryRun(String triggerId, String event) {
        DryRunTriggerRequest.Builder request = DryRunTriggerRequest.newBuilder().setWorkspace(workspace)
                .setTriggerId(triggerId).setProfileId(profile);
        if (event != null) {
            request.setEventJson(ByteString.copyFromUtf8(event));
        }
        return triggers.dryRunTrigger(request.build());
    }

    private String create(String definition) {
        String action = """
                "action": {"channel": "email", "purpose": "marketing",
                           "webhook": {"url": "%s", "secret": "s3cret"},
                           "template": {"subject": "{event.properties.name}",
                                        "body": "Hallo {profile.traits.firstName}, {event.properties.price.money}"}}"""
                .formatted(receiver.url("/send"));
        return triggers.createTrigger(CreateTriggerRequest.newBuilder().setWorkspace(workspace)
                .setDefinitionJson(ByteString.copyFromUtf8(definition.formatted(action))).build()).getTriggerId();
    }

    private java.util.List<Delivery> deliveries(String triggerId) {
        return triggers.listDeliveries(ListDeliveriesRequest.newBuilder().setWorkspace(workspace).setTriggerId(triggerId)
                .build()).getDeliveriesList();
    }
}
