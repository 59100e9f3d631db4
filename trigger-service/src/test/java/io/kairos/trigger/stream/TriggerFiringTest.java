package io.kairos.trigger.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.api.consent.CheckRequest;
import io.kairos.api.consent.PrivacyOutcome;
import io.kairos.api.events.Action;
import io.kairos.api.events.MembershipChange;
import io.kairos.api.events.PrivacyRequest;
import io.kairos.api.events.ProfileDeleted;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.api.trigger.CreateTriggerRequest;
import io.kairos.api.trigger.Delivery;
import io.kairos.api.trigger.ListDeliveriesRequest;
import io.kairos.api.trigger.ListDeliveriesResponse;
import io.kairos.api.trigger.TriggerRef;
import io.kairos.api.trigger.TriggerServiceGrpc;
import io.kairos.api.trigger.UpdateTriggerRequest;
import io.kairos.trigger.domain.Firing;
import io.kairos.trigger.testing.KafkaTopics;
import io.kairos.trigger.testing.ScriptedConsentService;
import io.kairos.trigger.testing.WebhookReceiver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The event path end to end on the real stack: protobuf messages produced to Kafka, triggers
 * and the delivery log in PostgreSQL, consent asked over gRPC, and
 * the message POSTed to a local HTTP receiver.
 */
@QuarkusTest
class TriggerFiringTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String SECRET = "s3cret-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebhookReceiver receiver;
    private static KafkaTopics kafka;

    @GrpcClient("trigger")
    TriggerServiceGrpc.TriggerServiceBlockingStub triggers;

    @Inject
    @GrpcService
    ScriptedConsentService consent;

    private final String workspace = "ws-" + UUID.randomUUID();
    private final String profile = "p-" + UUID.randomUUID();

    @BeforeAll
    static void startCollaborators() throws IOException {
        receiver = new WebhookReceiver();
        kafka = new KafkaTopics();
    }

    @AfterAll
    static void stopCollaborators() {
        receiver.close();
        kafka.close();
    }

    @Test
    void aMatchingEventPostsASignedMessageOnceAndLogsItSent() throws Exception {
        consent.allow(workspace, profile);
        String triggerId = createTrigger(workspace, "Cart recovery", """
                {"event": "Product Added", "where": [{"property": "price", "gte": 10}]}""", "/send");
        String messageId = UUID.randomUUID().toString();

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), track(workspace, profile, messageId, "Product Added",
                "{\"name\": \"Red Shoe\", \"price\": 12.5}", "{\"firstName\": \"Ada\"}"));

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(triggerId).size() == 1);
        WebhookReceiver.Received request = receiver.forTrigger(triggerId).getFirst();
        String firingId = Firing.firingId(UUID.fromString(triggerId), messageId).toString();
        assertThat(request.idempotencyKey()).isEqualTo(firingId);
        assertThat(request.signature()).isEqualTo("sha256=" + hmacSha256Hex(SECRET, request.body()));
        assertThat(request.contentType()).startsWith("application/json");
        JsonNode body = request.json();
        assertThat(body.path("triggerId").asText()).isEqualTo(triggerId);
        assertThat(body.path("firingId").asText()).isEqualTo(firingId);
        assertThat(body.path("workspace").asText()).isEqualTo(workspace);
        assertThat(body.path("profileId").asText()).isEqualTo(profile);
        assertThat(body.path("channel").asText()).isEqualTo("email");
        assertThat(body.path("message").path("subject").asText()).isEqualTo("You left Red Shoe behind");
        assertThat(body.path("message").path("body").asText()).isEqualTo("Hi Ada, your cart: $12.50");
        assertThat(body.path("event").path("name").asText()).isEqualTo("Product Added");
        assertThat(body.path("event").path("messageId").asText()).isEqualTo(messageId);
        assertThat(body.path("event").path("properties").path("price").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(body.path("profile").properties()).extracting(Map.Entry::getKey).containsExactly("id", "traits");
        assertThat(body.path("profile").path("id").asText()).isEqualTo(profile);
        assertThat(body.path("profile").path("traits").path("firstName").asText()).isEqualTo("Ada");
        assertThat(Instant.parse(body.path("firedAt").asText())).isBeforeOrEqualTo(Instant.now());

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, triggerId))
                .singleElement()
                .satisfies(delivery -> {
                    assertThat(delivery.getFiringId()).isEqualTo(firingId);
                    assertThat(delivery.getOutcome()).isEqualTo("sent");
                    assertThat(delivery.getProfileId()).isEqualTo(profile);
                    assertThat(delivery.getChannel()).isEqualTo("email");
                    assertThat(delivery.getAttempts()).isEqualTo(1);
                    assertThat(delivery.getResponseStatus()).isEqualTo(202);
                }));
        List<CheckRequest> checks = consent.checks(workspace, profile);
        assertThat(checks).singleElement().satisfies(check -> {
            assertThat(check.getPurpose()).isEqualTo("marketing");
            assertThat(check.getChannel()).isEqualTo("email");
            assertThat(check.getAtMs()).isEqualTo(Instant.parse(body.path("firedAt").asText()).toEpochMilli());
        });
    }

    @Test
    void aRedeliveredEventIsNotPostedTwice() {
        consent.allow(workspace, profile);
        String triggerId = createTrigger(workspace, "Once", "{\"event\": \"Product Added\"}", "/send");
        String messageId = UUID.randomUUID().toString();
        byte[] event = track(workspace, profile, messageId, "Product Added", "{}", "{}");
        String laterMessageId = UUID.randomUUID().toString();

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), event);
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), event);
        // Same key, same partition: once the later event is delivered, the duplicate was handled.
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, laterMessageId, "Product Added", "{}", "{}"));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, triggerId))
                .extracting(Delivery::getFiringId)
                .containsExactlyInAnyOrder(firing(triggerId, messageId), firing(triggerId, laterMessageId)));
        assertThat(receiver.forTrigger(triggerId)).extracting(WebhookReceiver.Received::idempotencyKey)
                .containsExactlyInAnyOrder(firing(triggerId, messageId), firing(triggerId, laterMessageId));
        assertThat(deliveries(workspace, triggerId)).allSatisfy(d -> assertThat(d.getAttempts()).isEqualTo(1));
    }

    @Test
    void filtersAndWorkspacesDecideWhichEventsFire() {
        String otherWorkspace = "ws-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        consent.allow(otherWorkspace, profile);
        String triggerId = createTrigger(workspace, "Big carts", """
                {"event": "Product Added", "where": [{"property": "price", "gte": 10},
                                                     {"property": "product.category", "in": ["shoes", "bags"]}]}""",
                "/send");
        String otherTriggerId = createTrigger(otherWorkspace, "Big carts", "{\"event\": \"Product Added\"}", "/send");
        String cheap = UUID.randomUUID().toString();
        String wrongCategory = UUID.randomUUID().toString();
        String otherEvent = UUID.randomUUID().toString();
        String matching = UUID.randomUUID().toString();
        String elsewhere = UUID.randomUUID().toString();

        kafka.send(KafkaTopics.RESOLVED, key(otherWorkspace, profile), track(otherWorkspace, profile, elsewhere,
                "Product Added", "{\"price\": 50, \"product\": {\"category\": \"shoes\"}}", "{}"));
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), track(workspace, profile, cheap, "Product Added",
                "{\"price\": 5, \"product\": {\"category\": \"shoes\"}}", "{}"));
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), track(workspace, profile, wrongCategory,
                "Product Added", "{\"price\": 50, \"product\": {\"category\": \"hats\"}}", "{}"));
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), track(workspace, profile, otherEvent,
                "Product Viewed", "{\"price\": 50, \"product\": {\"category\": \"shoes\"}}", "{}"));
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), track(workspace, profile, matching,
                "Product Added", "{\"price\": \"50\", \"product\": {\"category\": \"bags\"}}", "{}"));

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(triggerId).size() == 1
                && receiver.forTrigger(otherTriggerId).size() == 1);
        assertThat(receiver.forTrigger(triggerId).getFirst().idempotencyKey()).isEqualTo(firing(triggerId, matching));
        assertThat(receiver.forTrigger(otherTriggerId).getFirst().idempotencyKey())
                .isEqualTo(firing(otherTriggerId, elsewhere));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, triggerId))
                .extracting(Delivery::getFiringId).containsExactly(firing(triggerId, matching)));
    }

    @Test
    void segmentTransitionsFireTheirTriggersWithTheTraitsTheChangeCarries() {
        consent.allow(workspace, profile);
        String segment = "seg-" + UUID.randomUUID();
        String enteredId = createTrigger(workspace, "Welcome VIP", "{\"segmentEntered\": \"" + segment + "\"}", "/send");
        String exitedId = createTrigger(workspace, "Miss you", "{\"segmentExited\": \"" + segment + "\"}", "/send");
        String grace = "{\"firstName\": \"Grace\", \"$firstSeen\": \"2024-05-01T10:00:00Z\"}";

        // No event of the profile was ever seen here: the traits come with the change alone.
        kafka.send(KafkaTopics.MEMBERSHIP, key(workspace, profile), membership(workspace, profile, segment, "enter-1",
                MembershipChange.Transition.ENTERED, grace));
        kafka.send(KafkaTopics.MEMBERSHIP, key(workspace, profile), membership(workspace, profile, segment, "enter-1",
                MembershipChange.Transition.ENTERED, grace));
        kafka.send(KafkaTopics.MEMBERSHIP, key(workspace, profile), membership(workspace, profile, segment, "exit-1",
                MembershipChange.Transition.EXITED, "{\"firstName\": \"Gracie\"}"));

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(exitedId).size() == 1);
        assertThat(receiver.forTrigger(enteredId)).singleElement().satisfies(request -> {
            assertThat(request.idempotencyKey()).isEqualTo(firing(enteredId, "enter-1"));
            assertThat(request.signature()).isEqualTo("sha256=" + hmacSha256Hex(SECRET, request.body()));
            assertThat(request.json().path("message").path("body").asText()).isEqualTo("Hi Grace, your cart: ");
            assertThat(request.json().path("event").path("name").asText()).isEqualTo("Segment Entered");
            assertThat(request.json().path("event").path("properties").path("segmentId").asText()).isEqualTo(segment);
            assertThat(request.json().path("profile").path("traits").path("firstName").asText()).isEqualTo("Grace");
            assertThat(request.json().path("profile").path("traits").path("$firstSeen").asText()).isEqualTo("2024-05-01T10:00:00Z");
        });
        assertThat(receiver.forTrigger(exitedId).getFirst().idempotencyKey()).isEqualTo(firing(exitedId, "exit-1"));
        assertThat(receiver.forTrigger(exitedId).getFirst().json().path("message").path("body").asText())
                .as("each change brings its own traits").isEqualTo("Hi Gracie, your cart: ");
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(deliveries(workspace, enteredId)).extracting(Delivery::getOutcome).containsExactly("sent");
            assertThat(deliveries(workspace, exitedId)).extracting(Delivery::getOutcome).containsExactly("sent");
        });
    }

    @Test
    void deniedConsentSkipsTheFiringWithTheReason() {
        consent.deny(workspace, profile, "no consent on record");
        String triggerId = createTrigger(workspace, "Denied", "{\"event\": \"Product Added\"}", "/send");

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, UUID.randomUUID().toString(), "Product Added", "{}", "{}"));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, triggerId))
                .singleElement().satisfies(delivery -> {
                    assertThat(delivery.getOutcome()).isEqualTo("skipped");
                    assertThat(delivery.getReason()).isEqualTo("consent: denied (marketing/email): no consent on record");
                    assertThat(delivery.getAttempts()).isZero();
                }));
        assertThat(receiver.forTrigger(triggerId)).isEmpty();
    }

    @Test
    void webhookAndKafkaActionsAreDecidedByPurposeLevelConsentAndSent() throws Exception {
        consent.allow(workspace, profile);
        String topic = "shop.cart-events-" + UUID.randomUUID();
        String webhookId = createTrigger(workspace, "To the CRM", "{\"event\": \"Product Added\"}", "/send", "webhook");
        String kafkaId = create(workspace, """
                {"name": "To the bus", "when": {"event": "Product Added"},
                 "action": {"channel": "kafka", "purpose": "marketing", "kafka": {"topic": "%s"},
                            "template": {"body": "Hi {profile.traits.firstName}"}}}""".formatted(topic));
        String messageId = UUID.randomUUID().toString();

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, messageId, "Product Added", "{}", "{\"firstName\": \"Ada\"}"));

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(deliveries(workspace, webhookId)).extracting(Delivery::getOutcome, Delivery::getChannel)
                    .containsExactly(tuple("sent", "webhook"));
            assertThat(deliveries(workspace, kafkaId)).extracting(Delivery::getOutcome, Delivery::getChannel)
                    .containsExactly(tuple("sent", "kafka"));
        });
        assertThat(receiver.forTrigger(webhookId)).singleElement()
                .satisfies(request -> assertThat(request.json().path("channel").asText()).isEqualTo("webhook"));
        assertThat(receiver.forTrigger(kafkaId)).as("published, not posted").isEmpty();
        try (KafkaConsumer<String, byte[]> bus = KafkaTopics.reader(topic)) {
            ConsumerRecord<String, byte[]> published = awaitDeadLetter(bus, key(workspace, profile));
            assertThat(new String(published.headers().lastHeader("Idempotency-Key").value(), StandardCharsets.UTF_8))
                    .isEqualTo(firing(kafkaId, messageId));
            JsonNode payload = JSON.readTree(published.value());
            assertThat(payload.path("triggerId").asText()).isEqualTo(kafkaId);
            assertThat(payload.path("channel").asText()).isEqualTo("kafka");
            assertThat(payload.at("/message/body").asText()).isEqualTo("Hi Ada");
        }
        assertThat(consent.checks(workspace, profile)).hasSize(2).allSatisfy(check -> {
            assertThat(check.getPurpose()).isEqualTo("marketing");
            assertThat(check.getChannel()).isEqualTo("all");
        });
    }

    @Test
    void aRejectedConsentCheckIsSkippedWithTheReasonNotRetriedAndNotDeadLettered() {
        consent.refuse(workspace, profile,
                Status.INVALID_ARGUMENT.withDescription("profile_id is longer than 256 characters"));
        String triggerId = createTrigger(workspace, "Refused", "{\"event\": \"Product Added\"}", "/send");
        String first = UUID.randomUUID().toString();
        String later = UUID.randomUUID().toString();

        try (KafkaConsumer<String, byte[]> deadLetters = KafkaTopics.reader(KafkaTopics.RESOLVED + ".dlq")) {
            kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                    track(workspace, profile, first, "Product Added", "{}", "{}"));
            // Same key, same partition: once the later event is logged, the first one was done with.
            kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                    track(workspace, profile, later, "Product Added", "{}", "{}"));

            await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, triggerId))
                    .extracting(Delivery::getFiringId)
                    .containsExactlyInAnyOrder(firing(triggerId, first), firing(triggerId, later)));
            assertThat(recordsSoFar(deadLetters, Set.of(key(workspace, profile)))).isEmpty();
        }
        assertThat(deliveries(workspace, triggerId)).allSatisfy(delivery -> {
            assertThat(delivery.getOutcome()).isEqualTo("skipped");
            assertThat(delivery.getReason()).isEqualTo("consent check rejected: profile_id is longer than 256 characters");
            assertThat(delivery.getAttempts()).isZero();
        });
        assertThat(consent.checks(workspace, profile)).as("a rejected check is not asked again").hasSize(2);
        assertThat(receiver.forTrigger(triggerId)).isEmpty();
    }

    @Test
    void anUnavailableConsentServiceIsRetriedAndNothingIsSentBeforeItAllows() {
        consent.unavailableThenAllow(workspace, profile, 2);
        String triggerId = createTrigger(workspace, "Patient", "{\"event\": \"Product Added\"}", "/send");

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, UUID.randomUUID().toString(), "Product Added", "{}", "{}"));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, triggerId))
                .extracting(Delivery::getOutcome).containsExactly("sent"));
        assertThat(consent.checks(workspace, profile)).hasSize(3);
        assertThat(receiver.forTrigger(triggerId)).hasSize(1);
    }

    @Test
    void withoutAConsentAnswerNothingIsSentAndTheMessageGoesToTheDeadLetterTopic() {
        consent.alwaysUnavailable(workspace, profile);
        String triggerId = createTrigger(workspace, "Fail closed", "{\"event\": \"Product Added\"}", "/send");

        try (KafkaConsumer<String, byte[]> deadLetters = KafkaTopics.reader(KafkaTopics.RESOLVED + ".dlq")) {
            kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                    track(workspace, profile, UUID.randomUUID().toString(), "Product Added", "{}", "{}"));

            ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(deadLetters, key(workspace, profile));
            assertThat(reason(deadLetter)).contains("consent-service gave no decision");
        }
        assertThat(consent.checks(workspace, profile)).hasSize(3);
        assertThat(receiver.forTrigger(triggerId)).isEmpty();
        assertThat(deliveries(workspace, triggerId)).isEmpty();
    }

    @Test
    void webhookFailuresAreRetriedWithTheSameKeyAndSignatureThenLoggedFailedAndDeadLettered() throws Exception {
        consent.allow(workspace, profile);
        KafkaConsumer<String, byte[]> deadLetters = KafkaTopics.reader(KafkaTopics.ACTIONS + ".dlq");
        String flakyId = createTrigger(workspace, "Flaky provider", "{\"event\": \"Product Added\"}", "/flaky");
        String downId = createTrigger(workspace, "Dead provider", "{\"event\": \"Product Added\"}", "/down");

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, UUID.randomUUID().toString(), "Product Added", "{}", "{}"));

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(deliveries(workspace, flakyId)).singleElement().satisfies(delivery -> {
                assertThat(delivery.getOutcome()).isEqualTo("sent");
                assertThat(delivery.getAttempts()).isEqualTo(2);
                assertThat(delivery.getResponseStatus()).isEqualTo(202);
            });
            assertThat(deliveries(workspace, downId)).singleElement().satisfies(delivery -> {
                assertThat(delivery.getOutcome()).isEqualTo("failed");
                assertThat(delivery.getAttempts()).isEqualTo(3);
                assertThat(delivery.getResponseStatus()).isEqualTo(500);
                assertThat(delivery.getReason()).isEqualTo("webhook: HTTP 500 after 3 attempts");
            });
        });
        List<WebhookReceiver.Received> flaky = receiver.forTrigger(flakyId);
        assertThat(flaky).hasSize(2);
        assertThat(flaky.get(1).idempotencyKey()).isEqualTo(flaky.get(0).idempotencyKey());
        assertThat(flaky.get(1).signature()).isEqualTo(flaky.get(0).signature());
        assertThat(flaky.get(1).body()).isEqualTo(flaky.get(0).body());
        assertThat(receiver.forTrigger(downId)).hasSize(3);
        // The last try failed: the request it would have sent is dead-lettered with the reason.
        try (deadLetters) {
            ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(deadLetters, key(workspace, profile));
            Action action = Action.parseFrom(deadLetter.value());
            assertThat(action.getFiringId()).isEqualTo(deliveries(workspace, downId).getFirst().getFiringId());
            assertThat(action.getChannel()).isEqualTo("email");
            assertThat(action.getMessageJson().toByteArray()).isEqualTo(receiver.forTrigger(downId).getFirst().body());
            assertThat(reason(deadLetter)).isEqualTo("webhook: HTTP 500 after 3 attempts");
            assertThat(new String(deadLetter.headers().lastHeader("webhook-url").value(), StandardCharsets.UTF_8))
                    .isEqualTo(receiver.url("/down"));
        }
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicsWithoutBlockingTheStream() {
        consent.allow(workspace, profile);
        String triggerId = createTrigger(workspace, "After poison", "{\"event\": \"Product Added\"}", "/send");
        String segment = "seg-" + UUID.randomUUID();
        String segmentTriggerId = createTrigger(workspace, "After poison too", "{\"segmentEntered\": \"" + segment + "\"}",
                "/send");
        byte[] notProtobuf = {0x0A, (byte) 0xFF, 0x01};

        try (KafkaConsumer<String, byte[]> resolvedDead = KafkaTopics.reader(KafkaTopics.RESOLVED + ".dlq");
             KafkaConsumer<String, byte[]> membershipDead = KafkaTopics.reader(KafkaTopics.MEMBERSHIP + ".dlq")) {
            kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), notProtobuf);
            kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                    track(workspace, profile, UUID.randomUUID().toString(), "Product Added", "{}", "{}"));
            kafka.send(KafkaTopics.MEMBERSHIP, key(workspace, profile), notProtobuf);
            kafka.send(KafkaTopics.MEMBERSHIP, key(workspace, profile), membership(workspace, profile, segment,
                    "c-" + UUID.randomUUID(), MembershipChange.Transition.ENTERED, "{}"));

            assertThat(reason(awaitDeadLetter(resolvedDead, key(workspace, profile))))
                    .contains("not a kairos.events.ResolvedEvent");
            assertThat(reason(awaitDeadLetter(membershipDead, key(workspace, profile))))
                    .contains("not a kairos.events.MembershipChange");
        }
        await().atMost(DEADLINE).until(() -> receiver.forTrigger(triggerId).size() == 1
                && receiver.forTrigger(segmentTriggerId).size() == 1);
    }

    @Test
    void aMembershipChangeWithUnreadableTraitsGoesToTheDeadLetterTopicAndFiresNothing() {
        consent.allow(workspace, profile);
        String segment = "seg-" + UUID.randomUUID();
        String triggerId = createTrigger(workspace, "Unreadable", "{\"segmentEntered\": \"" + segment + "\"}", "/send");

        try (KafkaConsumer<String, byte[]> deadLetters = KafkaTopics.reader(KafkaTopics.MEMBERSHIP + ".dlq")) {
            kafka.send(KafkaTopics.MEMBERSHIP, key(workspace, profile), membership(workspace, profile, segment,
                    "c-" + UUID.randomUUID(), MembershipChange.Transition.ENTERED, "[\"not\", \"an object\"]"));

            assertThat(reason(awaitDeadLetter(deadLetters, key(workspace, profile))))
                    .contains("traits_json is not a JSON object");
        }
        assertThat(receiver.forTrigger(triggerId)).isEmpty();
        assertThat(deliveries(workspace, triggerId)).isEmpty();
    }

    @Test
    void deliveriesArePagedNewestFirstAndFilterableByProfile() {
        String otherProfile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        consent.allow(workspace, otherProfile);
        String triggerId = createTrigger(workspace, "Paged", "{\"event\": \"Product Added\"}", "/send");

        for (int i = 0; i < 2; i++) {
            kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                    track(workspace, profile, UUID.randomUUID().toString(), "Product Added", "{}", "{}"));
        }
        kafka.send(KafkaTopics.RESOLVED, key(workspace, otherProfile),
                track(workspace, otherProfile, UUID.randomUUID().toString(), "Product Added", "{}", "{}"));
        await().atMost(DEADLINE).until(() -> deliveries(workspace, triggerId).size() == 3);

        ListDeliveriesRequest.Builder request = ListDeliveriesRequest.newBuilder().setWorkspace(workspace)
                .setTriggerId(triggerId).setPageSize(2);
        ListDeliveriesResponse first = triggers.listDeliveries(request.build());
        ListDeliveriesResponse second = triggers.listDeliveries(request.clone().setPageToken(first.getNextPageToken()).build());
        ListDeliveriesResponse forOther = triggers.listDeliveries(request.clone().setProfileId(otherProfile).build());

        assertThat(first.getDeliveriesList()).hasSize(2);
        assertThat(first.getNextPageToken()).isNotEmpty();
        assertThat(second.getDeliveriesList()).hasSize(1);
        assertThat(second.getNextPageToken()).isEmpty();
        List<Delivery> all = new ArrayList<>(first.getDeliveriesList());
        all.addAll(second.getDeliveriesList());
        assertThat(all).extracting(Delivery::getFiringId).doesNotHaveDuplicates();
        assertThat(all).extracting(Delivery::getFiredAtMs).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(forOther.getDeliveriesList()).singleElement()
                .satisfies(d -> assertThat(d.getProfileId()).isEqualTo(otherProfile));
    }

    @Test
    void aDeletedTriggerNoLongerFires() {
        consent.allow(workspace, profile);
        String deletedId = createTrigger(workspace, "Deleted", "{\"event\": \"Product Added\"}", "/send");
        String liveId = createTrigger(workspace, "Live", "{\"event\": \"Product Added\"}", "/send");
        triggers.deleteTrigger(TriggerRef.newBuilder().setWorkspace(workspace).setTriggerId(deletedId).build());

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, UUID.randomUUID().toString(), "Product Added", "{}", "{}"));

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(liveId).size() == 1);
        assertThat(receiver.forTrigger(deletedId)).isEmpty();
        assertThat(deliveries(workspace, deletedId)).isEmpty();
    }

    @Test
    void anEditChangesWhatFiresAndWhatIsSentAndKeepsTheSecretItLeftOut() throws Exception {
        consent.allow(workspace, profile);
        String triggerId = createTrigger(workspace, "Editable", "{\"event\": \"Product Added\"}", "/send");
        String edited = """
                {"name": "Edited", "when": {"event": "Order Completed"},
                 "action": {"channel": "email", "purpose": "marketing", "webhook": {"url": "%s"},
                            "template": {"subject": "Thanks", "body": "Order of {event.properties.total.money}"}}}"""
                .formatted(receiver.url("/send"));
        assertThat(triggers.updateTrigger(UpdateTriggerRequest.newBuilder().setWorkspace(workspace)
                .setTriggerId(triggerId).setDefinitionJson(ByteString.copyFromUtf8(edited)).setExpectedVersion(1)
                .build()).getVersion()).isEqualTo(2);
        String added = UUID.randomUUID().toString();
        String ordered = UUID.randomUUID().toString();

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, added, "Product Added", "{}", "{}"));
        // Same key, same partition: once the order is logged, the product event was done with.
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, ordered, "Order Completed", "{\"total\": 30}", "{}"));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, triggerId))
                .extracting(Delivery::getFiringId, Delivery::getOutcome)
                .containsExactly(tuple(firing(triggerId, ordered), "sent")));
        assertThat(receiver.forTrigger(triggerId)).singleElement().satisfies(request -> {
            assertThat(request.idempotencyKey()).isEqualTo(firing(triggerId, ordered));
            assertThat(request.json().path("message").path("subject").asText()).isEqualTo("Thanks");
            assertThat(request.json().path("message").path("body").asText()).isEqualTo("Order of $30.00");
            assertThat(request.signature()).as("signed with the secret the edit left out")
                    .isEqualTo("sha256=" + hmacSha256Hex(SECRET, request.body()));
        });
    }

    @Test
    void aPausedTriggerFiresNothingAndFiresAgainForNewEventsOnceResumed() {
        consent.allow(workspace, profile);
        String pausedId = createTrigger(workspace, "Paused", "{\"event\": \"Product Added\"}", "/send");
        String activeId = createTrigger(workspace, "Always on", "{\"event\": \"Product Added\"}", "/send");
        TriggerRef paused = TriggerRef.newBuilder().setWorkspace(workspace).setTriggerId(pausedId).build();
        triggers.pauseTrigger(paused);
        String whilePaused = UUID.randomUUID().toString();
        String afterResume = UUID.randomUUID().toString();

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, whilePaused, "Product Added", "{}", "{}"));
        // Both triggers are looked at for the same event: once the active one is logged, the paused one was passed over.
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, activeId))
                .extracting(Delivery::getFiringId).containsExactly(firing(activeId, whilePaused)));
        assertThat(receiver.forTrigger(pausedId)).isEmpty();
        assertThat(deliveries(workspace, pausedId)).isEmpty();

        triggers.resumeTrigger(paused);
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile),
                track(workspace, profile, afterResume, "Product Added", "{}", "{}"));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, pausedId))
                .extracting(Delivery::getFiringId, Delivery::getOutcome)
                .containsExactly(tuple(firing(pausedId, afterResume), "sent")));
        assertThat(receiver.forTrigger(pausedId)).extracting(WebhookReceiver.Received::idempotencyKey)
                .as("what came while paused is not fired later").containsExactly(firing(pausedId, afterResume));
    }

    @Test
    void anInAppFiringIsPublishedOnTheActionsTopicWithTheRenderedMessageThenLoggedSent() throws Exception {
        String denied = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        consent.deny(workspace, denied, "opted out of in-app");
        String triggerId = create(workspace, """
                {"name": "Nudge", "when": {"event": "Product Added"},
                 "action": {"channel": "in_app", "purpose": "personalization",
                            "template": {"subject": "{event.properties.name}", "body": "Hi {profile.traits.firstName}, still want it?"}}}""");
        String messageId = UUID.randomUUID().toString();
        String deniedMessageId = UUID.randomUUID().toString();

        try (KafkaConsumer<String, byte[]> actions = KafkaTopics.reader(KafkaTopics.ACTIONS)) {
            kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), track(workspace, profile, messageId,
                    "Product Added", "{\"name\": \"Red Shoe\"}", "{\"firstName\": \"Ada\"}"));
            kafka.send(KafkaTopics.RESOLVED, key(workspace, denied), track(workspace, denied, deniedMessageId,
                    "Product Added", "{\"name\": \"Red Shoe\"}", "{}"));

            // Logged sent only once Kafka acknowledged: by then the action is on the topic.
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(workspace, triggerId))
                    .extracting(Delivery::getProfileId, Delivery::getOutcome)
                    .containsExactlyInAnyOrder(tuple(profile, "sent"), tuple(denied, "skipped")));
            List<ConsumerRecord<String, byte[]>> published =
                    recordsSoFar(actions, Set.of(key(workspace, profile), key(workspace, denied)));

            assertThat(published).as("published once, nothing for the denied profile").singleElement()
                    .satisfies(record -> assertThat(record.key()).isEqualTo(key(workspace, profile)));
            Action action = Action.parseFrom(published.getFirst().value());
            assertThat(action.getWorkspace()).isEqualTo(workspace);
            assertThat(action.getTriggerId()).isEqualTo(triggerId);
            assertThat(action.getFiringId()).isEqualTo(firing(triggerId, messageId));
            assertThat(action.getProfileId()).isEqualTo(profile);
            assertThat(action.getChannel()).isEqualTo("in_app");
            assertThat(action.getFiredAtMs()).isPositive().isLessThanOrEqualTo(System.currentTimeMillis());
            assertThat(JSON.readTree(action.getMessageJson().toByteArray())).isEqualTo(JSON.readTree(
                    "{\"subject\": \"Red Shoe\", \"body\": \"Hi Ada, still want it?\"}"));
        }
        assertThat(deliveries(workspace, triggerId)).filteredOn(d -> d.getProfileId().equals(profile))
                .singleElement().satisfies(delivery -> {
                    assertThat(delivery.getChannel()).isEqualTo("in_app");
                    assertThat(delivery.getAttempts()).isEqualTo(1);
                    assertThat(delivery.getResponseStatus()).isZero();
                });
        assertThat(consent.checks(workspace, profile)).singleElement().satisfies(check -> {
            assertThat(check.getChannel()).isEqualTo("in_app");
            assertThat(check.getPurpose()).isEqualTo("personalization");
        });
        assertThat(receiver.forTrigger(triggerId)).isEmpty();
    }

    @Test
    void anErasedProfilesExitFiresNothing() {
        consent.allow(workspace, profile);
        String other = "p-" + UUID.randomUUID();
        consent.allow(workspace, other);
        String segment = "seg-" + UUID.randomUUID();
        String exitedId = createTrigger(workspace, "Miss you", "{\"segmentExited\": \"" + segment + "\"}", "/send");

        kafka.send(KafkaTopics.MEMBERSHIP, key(workspace, profile), MembershipChange.newBuilder()
                .setWorkspace(workspace).setProfileId(profile).setSegmentId(segment).setSegmentVersion(1)
                .setTransition(MembershipChange.Transition.EXITED).setReason("profile deleted")
                .setAtMs(System.currentTimeMillis()).setChangeId("erased-1").setProfileErased(true).build().toByteArray());
        // A later exit on the same partition fires; once it has, the erased one was consumed.
        kafka.send(KafkaTopics.MEMBERSHIP, key(workspace, profile), membership(workspace, other, segment, "exit-2",
                MembershipChange.Transition.EXITED, "{}"));

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(exitedId).size() == 1);
        assertThat(receiver.forTrigger(exitedId).getFirst().json().path("profileId").asText()).isEqualTo(other);
        assertThat(consent.checks(workspace, profile)).isEmpty();
    }

    @Test
    void privacyRequestsExportThenEraseTheProfilesDeliveriesAndReportToConsentService() throws Exception {
        consent.allow(workspace, profile);
        String triggerId = createTrigger(workspace, "Thanks", "{\"event\": \"Order Completed\"}", "/send");
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), track(workspace, profile, UUID.randomUUID().toString(),
                "Order Completed", "{}", "{\"firstName\": \"Ada\"}"));
        await().atMost(DEADLINE).until(() -> deliveries(workspace, triggerId).size() == 1);

        String exportId = UUID.randomUUID().toString();
        kafka.send(KafkaTopics.PRIVACY, key(workspace, profile), privacyRequest(exportId, PrivacyRequest.Kind.EXPORT));
        await().atMost(DEADLINE).until(() -> !consent.privacyReports(exportId).isEmpty());
        PrivacyOutcome exported = consent.privacyReports(exportId).getFirst();
        assertThat(exported.getService()).isEqualTo("trigger-service");
        JsonNode export = JSON.readTree(exported.getExportJson().toByteArray());
        assertThat(export.get("deliveries")).singleElement().satisfies(delivery -> {
            assertThat(delivery.get("triggerId").asText()).isEqualTo(triggerId);
            assertThat(delivery.get("trigger").asText()).isEqualTo("Thanks");
            assertThat(delivery.get("outcome").asText()).isEqualTo("sent");
        });

        String deleteId = UUID.randomUUID().toString();
        kafka.send(KafkaTopics.PRIVACY, key(workspace, profile), privacyRequest(deleteId, PrivacyRequest.Kind.DELETE));
        await().atMost(DEADLINE).until(() -> !consent.privacyReports(deleteId).isEmpty());
        assertThat(consent.privacyReports(deleteId).getFirst().getDetail()).isEqualTo("1 deliveries erased");
        assertThat(deliveries(workspace, triggerId)).isEmpty();
    }

    @Test
    void aProfileDeletedMessageErasesTheProfilesDeliveries() {
        consent.allow(workspace, profile);
        String triggerId = createTrigger(workspace, "Thanks", "{\"event\": \"Order Completed\"}", "/send");
        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), track(workspace, profile, UUID.randomUUID().toString(),
                "Order Completed", "{}", "{}"));
        await().atMost(DEADLINE).until(() -> deliveries(workspace, triggerId).size() == 1);

        kafka.send(KafkaTopics.RESOLVED, key(workspace, profile), ResolvedEvent.newBuilder().setWorkspace(workspace)
                .setProfileId(profile).setDeleted(ProfileDeleted.newBuilder().setAtMs(System.currentTimeMillis())).build()
                .toByteArray());

        await().atMost(DEADLINE).until(() -> deliveries(workspace, triggerId).isEmpty());
    }

    private byte[] privacyRequest(String requestId, PrivacyRequest.Kind kind) {
        return PrivacyRequest.newBuilder().setWorkspace(workspace).setRequestId(requestId).setProfileId(profile)
                .setKind(kind).setRequestedBy("priya").setRequestedAtMs(System.currentTimeMillis()).build().toByteArray();
    }

    private String create(String workspace, String definition) {
        return triggers.createTrigger(CreateTriggerRequest.newBuilder().setWorkspace(workspace)
                .setDefinitionJson(ByteString.copyFromUtf8(definition)).build()).getTriggerId();
    }

    private String createTrigger(String workspace, String name, String when, String path) {
        return createTrigger(workspace, name, when, path, "email");
    }

    private String createTrigger(String workspace, String name, String when, String path, String channel) {
        String definition = """
                {"name": "%s", "when": %s,
                 "action": {"channel": "%s", "purpose": "marketing",
                            "webhook": {"url": "%s", "secret": "%s"},
                            "template": {"subject": "You left {event.properties.name} behind",
                                         "body": "Hi {profile.traits.firstName}, your cart: {event.properties.price.money}"}}}"""
                .formatted(name, when, channel, receiver.url(path), SECRET);
        return triggers.createTrigger(CreateTriggerRequest.newBuilder().setWorkspace(workspace)
                .setDefinitionJson(ByteString.copyFromUtf8(definition)).build()).getTriggerId();
    }

    private List<Delivery> deliveries(String workspace, String triggerId) {
        return triggers.listDeliveries(ListDeliveriesRequest.newBuilder().setWorkspace(workspace)
                .setTriggerId(triggerId).build()).getDeliveriesList();
    }

    /** The first record with {@code key} the consumer reads (a dead letter, or a published firing). */
    private static ConsumerRecord<String, byte[]> awaitDeadLetter(KafkaConsumer<String, byte[]> consumer, String key) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            found.addAll(KafkaTopics.poll(consumer, key));
            return !found.isEmpty();
        });
        return found.getFirst();
    }

    /** The records with one of {@code keys} from where the consumer is up to the end of the topic as it is now. */
    private static List<ConsumerRecord<String, byte[]>> recordsSoFar(KafkaConsumer<String, byte[]> consumer,
                                                                   Set<String> keys) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                if (keys.contains(record.key())) {
                    found.add(record);
                }
            });
            Set<TopicPartition> assigned = consumer.assignment();
            return !assigned.isEmpty() && consumer.endOffsets(assigned).entrySet().stream()
                    .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
        });
        return found;
    }

    private static String reason(ConsumerRecord<String, byte[]> deadLetter) {
        var header = deadLetter.headers().lastHeader("dead-letter-reason");
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String firing(String triggerId, String causeId) {
        return Firing.firingId(UUID.fromString(triggerId), causeId).toString();
    }

    private static String key(String workspace, String profileId) {
        return workspace + ":" + profileId;
    }

    static byte[] track(String workspace, String profileId, String messageId, String event, String propertiesJson,
                        String traitsJson) {
        return track(workspace, profileId, messageId, event, propertiesJson, traitsJson, null);
    }

    /** A resolved track event; {@code timezone}, when not null, is its context.timezone. */
    static byte[] track(String workspace, String profileId, String messageId, String event, String propertiesJson,
                        String traitsJson, String timezone) {
        long now = System.currentTimeMillis();
        String payload = """
                {"type": "track", "event": "%s", "messageId": "%s", "userId": "%s", "properties": %s,
                 "context": {"channel": "web"%s}}""".formatted(event, messageId, profileId, propertiesJson,
                timezone == null ? "" : ", \"timezone\": \"" + timezone + "\"");
        RawEvent raw = RawEvent.newBuilder().setWorkspace(workspace).setMessageId(messageId).setType("track")
                .setUserId(profileId).setEvent(event).setTimestampMs(now).setReceivedAtMs(now).setChannel("web")
                .setPayloadJson(ByteString.copyFromUtf8(payload)).build();
        return ResolvedEvent.newBuilder().setWorkspace(workspace).setProfileId(profileId)
                .setEvent(ProfileEvent.newBuilder().setRaw(raw).setTraitsJson(ByteString.copyFromUtf8(traitsJson)))
                .build().toByteArray();
    }

    static byte[] membership(String workspace, String profileId, String segmentId, String changeId,
                             MembershipChange.Transition transition, String traitsJson) {
        return MembershipChange.newBuilder().setWorkspace(workspace).setProfileId(profileId).setSegmentId(segmentId)
                .setSegmentVersion(1).setTransition(transition).setReason("test").setAtMs(System.currentTimeMillis())
                .setChangeId(changeId).setTraitsJson(ByteString.copyFromUtf8(traitsJson)).build().toByteArray();
    }

    private static String hmacSha256Hex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
