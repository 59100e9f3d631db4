package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.api.consent.PrivacyOutcome;
import io.kairos.api.events.PrivacyRequest;
import io.kairos.gateway.OtherServicesDown;
import io.kairos.gateway.PrivacyDesk;
import io.kairos.gateway.domain.InAppMessage;
import io.kairos.gateway.store.InboxEntry;
import io.kairos.gateway.store.VisitorInbox;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's part of privacy requests, from Kafka (the test's own request topic) against the real
 * Redis inbox: an export hands over the visitor's in-app messages, a suppress deletes them, and each
 * outcome is reported to consent-service (played by {@link PrivacyDesk}).
 */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PrivacyDesk.class, scope = TestResourceScope.MATCHING_RESOURCES)
class InboxPrivacyRequestTest {

    private static final String TOPIC = "kairos.privacy.requests.gateway-test";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaProducer<String, byte[]> producer;

    @Inject
    VisitorInbox inbox;

    @BeforeAll
    static void openProducer() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getenv().getOrDefault("KAIROS_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @Test
    void anExportHandsOverTheInboxAndASuppressDeletesItWithoutTouchingOtherVisitors() throws Exception {
        String ws = "ws-" + UUID.randomUUID();
        InAppMessage first = message(ws, "p-1", "{\"title\":\"Welcome back, Ada\"}");
        InAppMessage second = message(ws, "p-1", "{\"title\":\"Your cart misses you\"}");
        InAppMessage someoneElses = message(ws, "p-2", "{\"title\":\"Hello Grace\"}");
        for (InAppMessage message : List.of(first, second, someoneElses)) {
            assertThat(inbox.append(message).await().atMost(DEADLINE)).isPresent();
        }

        PrivacyOutcome exported = carriedOut(request(ws, "p-1", PrivacyRequest.Kind.EXPORT));
        assertThat(exported.getService()).isEqualTo("gateway");
        assertThat(exported.getOutcome()).isEqualTo("done");
        JsonNode export = JSON.readTree(exported.getExportJson().toByteArray());
        assertThat(export.path("inbox")).extracting(message -> message.path("firingId").asText())
                .containsExactly(first.firingId(), second.firingId());
        assertThat(export.at("/inbox/1/message/title").asText()).isEqualTo("Your cart misses you");
        assertThat(export.at("/inbox/0/firedAt").asText()).isEqualTo(first.firedAt().toString());
        assertThat(export.at("/inbox/0/triggerId").asText()).isEqualTo(first.triggerId());

        PrivacyOutcome erased = carriedOut(request(ws, "p-1", PrivacyRequest.Kind.SUPPRESS));
        assertThat(erased.getOutcome()).isEqualTo("done");
        assertThat(erased.getDetail()).isEqualTo("2 in-app messages erased");
        assertThat(erased.getExportJson().isEmpty()).isTrue();
        assertThat(messages(ws, "p-1")).isEmpty();
        assertThat(messages(ws, "p-2")).extracting(InboxEntry::firingId).containsExactly(someoneElses.firingId());
        // Kafka delivers one of the erased firings again: it does not come back.
        assertThat(inbox.append(first).await().atMost(DEADLINE)).isEmpty();
        assertThat(messages(ws, "p-1")).isEmpty();
    }

    @Test
    void aRequestForAVisitorWithoutAnInboxIsDoneWithNothingToHandOver() throws Exception {
        PrivacyOutcome exported = carriedOut(request("ws-" + UUID.randomUUID(), "p-none", PrivacyRequest.Kind.EXPORT));

        assertThat(exported.getOutcome()).isEqualTo("done");
        assertThat(JSON.readTree(exported.getExportJson().toByteArray()).path("inbox")).isEmpty();
    }

    private PrivacyOutcome carriedOut(PrivacyRequest request) throws Exception {
        producer.send(new ProducerRecord<>(TOPIC, request.getWorkspace() + ":" + request.getProfileId(), request.toByteArray()))
                .get(30, TimeUnit.SECONDS);
        await("report of " + request.getKind()).atMost(DEADLINE).until(() -> !PrivacyDesk.reports(request.getRequestId()).isEmpty());
        return PrivacyDesk.reports(request.getRequestId()).getFirst();
    }

    private static PrivacyRequest request(String ws, String profileId, PrivacyRequest.Kind kind) {
        return PrivacyRequest.newBuilder().setWorkspace(ws).setProfileId(profileId).setRequestId(UUID.randomUUID().toString())
                .setKind(kind).setRequestedBy("priya").setRequestedAtMs(System.currentTimeMillis()).build();
    }

    private static InAppMessage message(String ws, String profileId, String json) {
        return new InAppMessage(ws, profileId, UUID.randomUUID().toString(), UUID.randomUUID().toString(), json,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private List<InboxEntry> messages(String ws, String profileId) {
        return inbox.everything(ws, profileId).await().atMost(DEADLINE);
    }
}
