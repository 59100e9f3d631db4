package io.kairos.consent.api;

import com.google.protobuf.ByteString;
import io.kairos.api.consent.CheckBatchRequest;
import io.kairos.api.consent.CheckRequest;
import io.kairos.api.consent.ConsentRecord;
import io.kairos.api.consent.ConsentServiceGrpc;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.GetConsentsRequest;
import io.kairos.api.consent.SetConsentRequest;
import io.kairos.api.consent.UpdatePoliciesRequest;
import io.kairos.api.events.ProfileDeleted;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.ProfileMerged;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * consent-service end to end against the real Kafka and PostgreSQL: consent signals, GPC and
 * locations from resolved events; merges and erasures; jurisdictions and quiet hours deciding
 * Check; the cache following every change, including one committed by another writer.
 */
@QuarkusTest
class ConsentSignalsFromEventsTest {

    private static final String BOOTSTRAP = System.getenv().getOrDefault("KAIROS_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    private static final String TOPIC = "kairos.events.resolved.consent-test";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @GrpcClient("consent")
    ConsentServiceGrpc.ConsentServiceBlockingStub consent;

    @Inject
    Pool pool;

    private static String newWorkspace() {
        return "ws-" + UUID.randomUUID();
    }

    private static void produce(ResolvedEvent... events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ResolvedEvent event : events) {
                producer.send(new ProducerRecord<>(TOPIC, event.getWorkspace() + ":" + event.getProfileId(),
                        event.toByteArray()));
            }
            producer.flush();
        }
    }

    private static ResolvedEvent event(String ws, String profile, String messageId, String type, String name,
                                       String payload, String traits) {
        RawEvent raw = RawEvent.newBuilder().setWorkspace(ws).setMessageId(messageId).setType(type).setEvent(name)
                .setTimestampMs(Instant.parse("2026-06-03T16:00:00Z").toEpochMilli())
                .setPayloadJson(ByteString.copyFrom(payload, StandardCharsets.UTF_8)).build();
        return ResolvedEvent.newBuilder().setWorkspace(ws).setProfileId(profile)
                .setEvent(ProfileEvent.newBuilder().setRaw(raw)
                        .setTraitsJson(ByteString.copyFrom(traits, StandardCharsets.UTF_8)))
                .build();
    }

    private Decision check(String ws, String profile, String purpose, String channel, Instant at) {
        return consent.check(CheckRequest.newBuilder().setWorkspace(ws).setProfileId(profile).setPurpose(purpose)
                .setChannel(channel).setAtMs(at.toEpochMilli()).build());
    }

    private List<ConsentRecord> history(String ws, String profile) {
        return consent.getConsents(GetConsentsRequest.newBuilder().setWorkspace(ws).setProfileId(profile).build())
                .getHistoryList();
    }

    @Test
    void gpcCountsOnlyWhereTheProfileLivesHonoursIt() {
        String ws = newWorkspace();
        String newYork = "{\"$country\": \"US\", \"$region\": \"New York\", \"$timezone\": \"America/New_York\"}";
        String gpcPage = "{\"context\": {\"gpc\": true, \"ip\": \"203.0.113.9\", \"userAgent\": \"Firefox\"}}";
        produce(event(ws, "p-1", "m-1", "page", "", gpcPage, newYork));

        await().atMost(DEADLINE).until(() -> history(ws, "p-1").size() == 1);
        ConsentRecord gpc = history(ws, "p-1").getFirst();
        assertThat(gpc.getOrigin()).isEqualTo("gpc");
        assertThat(gpc.getPurpose()).isEqualTo("sale_share");
        assertThat(gpc.getIp()).isEqualTo("203.0.113.9");
        Instant noon = Instant.parse("2026-06-03T16:00:00Z");
        assertThat(check(ws, "p-1", "sale_share", "web", noon).getRulesList()).containsExactly("US-NY.opt_out");

        // The same profile moves to California: the signal it already sent now counts.
        produce(event(ws, "p-1", "m-2", "page", "", gpcPage,
                "{\"$country\": \"United States\", \"$region\": \"California\", \"$timezone\": \"America/Los_Angeles\"}"));
        await().atMost(DEADLINE).untilAsserted(() -> {
            Decision decision = check(ws, "p-1", "sale_share", "web", noon);
            assertThat(decision.getVerdict()).isEqualTo(Decision.Verdict.DENY);
            assertThat(decision.getRulesList()).containsExactly("US-CA.gpc");
        });
        assertThat(history(ws, "p-1")).as("the signal on every page is recorded once").hasSize(1);
    }

    @Test
    void consentFromEventsIsAppendedOnceAndDecidesWithQuietHoursInTheProfilesZone() {
        String ws = newWorkspace();
        String traits = "{\"$country\": \"US\", \"$region\": \"NY\", \"$timezone\": \"America/New_York\"}";
        ResolvedEvent optIn = event(ws, "p-2", "m-optin", "track", "Consent Updated", """
                {"properties": {"purpose": "marketing", "channel": "sms", "status": "granted", "formId": "checkout"},
                 "context": {"ip": "198.51.100.7"}}""", traits);
        // One partition per profile, in order: once the marker is recorded, the resent opt-in was handled too.
        ResolvedEvent marker = event(ws, "p-2", "m-marker", "track", "Consent Updated", """
                {"properties": {"purpose": "analytics", "status": "granted"}}""", traits);
        produce(optIn, optIn, marker);

        await().atMost(DEADLINE).until(() -> history(ws, "p-2").stream().anyMatch(r -> r.getPurpose().equals("analytics")));
        assertThat(history(ws, "p-2")).filteredOn(r -> r.getPurpose().equals("marketing")).hasSize(1);
        assertThat(history(ws, "p-2")).filteredOn(r -> r.getPurpose().equals("marketing"))
                .singleElement().satisfies(r -> assertThat(r.getFormId()).isEqualTo("checkout"));
        Decision afternoon = check(ws, "p-2", "marketing", "sms", Instant.parse("2026-06-03T18:00:00Z"));
        assertThat(afternoon.getVerdict()).isEqualTo(Decision.Verdict.ALLOW);
        // 2:00 AM in New York: deferred to 08:00 local.
        Decision night = check(ws, "p-2", "marketing", "sms", Instant.parse("2026-06-04T06:00:00Z"));
        assertThat(night.getVerdict()).isEqualTo(Decision.Verdict.DEFER);
        assertThat(Instant.ofEpochMilli(night.getDeferUntilMs())).isEqualTo(Instant.parse("2026-06-04T12:00:00Z"));
        assertThat(night.getRulesList()).contains("ledger.latest_record", "workspace.quiet_hours.sms");
        // A trigger that does not respect quiet hours asks about consent alone.
        assertThat(consent.check(CheckRequest.newBuilder().setWorkspace(ws).setProfileId("p-2").setPurpose("marketing")
                .setChannel("sms").setAtMs(Instant.parse("2026-06-04T06:00:00Z").toEpochMilli())
                .setIgnoreQuietHours(true).build()).getVerdict()).isEqualTo(Decision.Verdict.ALLOW);
        // The opt-in was produced twice above: the redelivered event appended nothing.
        assertThat(history(ws, "p-2")).hasSize(2);
    }

    @Test
    void aMergeMovesTheLedgerToTheSurvivorAndAnErasureRemovesIt() {
        String ws = newWorkspace();
        consent.setConsent(SetConsentRequest.newBuilder().setWorkspace(ws).setProfileId("merged").setPurpose("marketing")
                .setChannel("email").setStatus("denied").setSource("unsubscribe").build());
        assertThat(check(ws, "survivor", "marketing", "email", Instant.now()).getVerdict())
                .isEqualTo(Decision.Verdict.ALLOW);
        produce(ResolvedEvent.newBuilder().setWorkspace(ws).setProfileId("survivor")
                .setMerged(ProfileMerged.newBuilder().setSurvivorId("survivor").addMergedIds("merged")
                        .setAtMs(System.currentTimeMillis()).setTraitsJson(ByteString.copyFromUtf8("{}")))
                .build());
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(check(ws, "survivor", "marketing", "email",
                Instant.now()).getVerdict()).isEqualTo(Decision.Verdict.DENY));
        assertThat(history(ws, "merged")).isEmpty();

        produce(ResolvedEvent.newBuilder().setWorkspace(ws).setProfileId("survivor")
                .setDeleted(ProfileDeleted.newBuilder().setAtMs(System.currentTimeMillis()).setReason("erasure")).build());
        await().atMost(DEADLINE).until(() -> history(ws, "survivor").isEmpty());
        assertThat(pool.preparedQuery("select count(*) from profile_context where workspace = $1")
                .execute(Tuple.of(ws)).await().indefinitely().iterator().next().getLong(0)).isZero();
    }

    @Test
    void aMalformedConsentEventIsDeadLetteredWithItsReason() {
        String ws = newWorkspace();
        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP, ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            dlq.subscribe(List.of(TOPIC + ".dlq"));
            produce(event(ws, "p-3", "m-bad", "track", "Consent Updated",
                    "{\"properties\": {\"purpose\": \"marketing\", \"status\": \"perhaps\"}}", "{}"));
            List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && r.key().equals(ws + ":p-3")) {
                        mine.add(r);
                    }
                });
                return !mine.isEmpty();
            });
            String reason = new String(mine.getFirst().headers().lastHeader("dead-letter-reason").value(),
                    StandardCharsets.UTF_8);
            assertThat(reason).contains("m-bad").contains("UNKNOWN_STATUS");
        }
        assertThat(history(ws, "p-3")).isEmpty();
    }

    @Test
    void aChangeCommittedByAnotherWriterReachesTheNextCheck() {
        String ws = newWorkspace();
        Instant now = Instant.now();
        assertThat(check(ws, "p-4", "marketing", "email", now).getVerdict()).isEqualTo(Decision.Verdict.ALLOW);
        // Another instance (or an operator) appends to the ledger; only PostgreSQL's notice can tell this one.
        pool.preparedQuery("insert into consent_record (workspace, profile_id, purpose, channel, status, source, recorded_at)"
                        + " values ($1, 'p-4', 'marketing', 'all', 'revoked', 'elsewhere', now() - interval '1 second')")
                .execute(Tuple.of(ws)).await().indefinitely();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(check(ws, "p-4", "marketing", "email", Instant.now()).getVerdict())
                        .isEqualTo(Decision.Verdict.DENY));
    }

    @Test
    void aJurisdictionEditDecidesTheNextCheck() {
        String ws = newWorkspace();
        pool.preparedQuery("insert into profile_context (workspace, profile_id, country, region, updated_at)"
                + " values ($1, 'p-5', 'US', 'TX', now())").execute(Tuple.of(ws)).await().indefinitely();
        Instant noon = Instant.parse("2026-06-03T17:00:00Z");
        assertThat(check(ws, "p-5", "marketing", "email", noon).getRulesList()).containsExactly("US-TX.opt_out");
        consent.updatePolicies(UpdatePoliciesRequest.newBuilder().setWorkspace(ws).setUpdatedBy("dpo")
                .setPoliciesJson(ByteString.copyFromUtf8("""
                        {"jurisdictions": {"US-TX": {"name": "Texas, opt-in marketing", "places": ["US-TX"],
                          "optIn": ["marketing"]}}}""")).build());
        Decision after = check(ws, "p-5", "marketing", "email", noon);
        assertThat(after.getVerdict()).isEqualTo(Decision.Verdict.DENY);
        assertThat(after.getRulesList()).containsExactly("US-TX.opt_in.marketing");

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () ->
                consent.updatePolicies(UpdatePoliciesRequest.newBuilder().setWorkspace(ws)
                        .setPoliciesJson(ByteString.copyFromUtf8("{\"jurisdictions\": {\"DEFAULT\": null}}")).build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).contains("defaultJurisdiction");
    }

    @Test
    void aBatchCheckAnswersEveryProfileInOrder() {
        String ws = newWorkspace();
        consent.setConsent(SetConsentRequest.newBuilder().setWorkspace(ws).setProfileId("b").setPurpose("marketing")
                .setChannel("all").setStatus("revoked").build());
        List<Decision> decisions = consent.checkBatch(CheckBatchRequest.newBuilder().setWorkspace(ws)
                .addAllProfileIds(List.of("a", "b", "c")).setPurpose("marketing").setChannel("email")
                .setIgnoreQuietHours(true).build()).getDecisionsList();
        assertThat(decisions).extracting(Decision::getProfileId).containsExactly("a", "b", "c");
        assertThat(decisions).extracting(Decision::getVerdict)
                .containsExactly(Decision.Verdict.ALLOW, Decision.Verdict.DENY, Decision.Verdict.ALLOW);

        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= ConsentGrpcService.MAX_BATCH; i++) {
            tooMany.add("p-" + i);
        }
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () ->
                consent.checkBatch(CheckBatchRequest.newBuilder().setWorkspace(ws).addAllProfileIds(tooMany)
                        .setPurpose("marketing").setChannel("email").build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void proofAndExpiryAreKeptAndAnExpiredGrantDenies() {
        String ws = newWorkspace();
        Instant expiry = Instant.now().plusSeconds(3600);
        ConsentRecord record = consent.setConsent(SetConsentRequest.newBuilder().setWorkspace(ws).setProfileId("p-6")
                .setPurpose("marketing").setChannel("sms").setStatus("granted").setSource("kiosk")
                .setFormId("store-42").setIp("192.0.2.1").setUserAgent("Kiosk/1").setExpiresAtMs(expiry.toEpochMilli())
                .build());
        assertThat(history(ws, "p-6")).containsExactly(record);
        assertThat(record.getFormId()).isEqualTo("store-42");
        assertThat(record.getExpiresAtMs()).isEqualTo(expiry.toEpochMilli());
        Decision before = consent.check(CheckRequest.newBuilder().setWorkspace(ws).setProfileId("p-6")
                .setPurpose("marketing").setChannel("sms").setIgnoreQuietHours(true)
                .setAtMs(expiry.toEpochMilli() - 1).build());
        assertThat(before.getVerdict()).isEqualTo(Decision.Verdict.ALLOW);
        Decision after = consent.check(CheckRequest.newBuilder().setWorkspace(ws).setProfileId("p-6")
                .setPurpose("marketing").setChannel("sms").setIgnoreQuietHours(true)
                .setAtMs(expiry.toEpochMilli()).build());
        assertThat(after.getVerdict()).isEqualTo(Decision.Verdict.DENY);
        assertThat(after.getRulesList()).containsExactly("ledger.expired");

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () ->
                consent.setConsent(SetConsentRequest.newBuilder().setWorkspace(ws).setProfileId("p-6")
                        .setPurpose("marketing").setChannel("sms").setStatus("denied")
                        .setExpiresAtMs(expiry.toEpochMilli()).build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(history(ws, "p-6")).hasSize(1);
    }
}
