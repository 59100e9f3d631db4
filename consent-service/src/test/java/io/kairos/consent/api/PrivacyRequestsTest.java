package io.kairos.consent.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kairos.api.consent.ConsentServiceGrpc;
import io.kairos.api.consent.GetConsentsRequest;
import io.kairos.api.consent.GetPrivacyRequestRequest;
import io.kairos.api.consent.ListPrivacyRequestsRequest;
import io.kairos.api.consent.PrivacyAuditEntry;
import io.kairos.api.consent.PrivacyOutcome;
import io.kairos.api.consent.PrivacyRequestStatus;
import io.kairos.api.consent.ServiceProgress;
import io.kairos.api.consent.SetConsentRequest;
import io.kairos.api.consent.SubmitPrivacyRequestRequest;
import io.kairos.api.consent.UpdatePoliciesRequest;
import io.kairos.api.events.PrivacyRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Privacy requests against the real PostgreSQL and Kafka: recorded with the deadline of the profile's
 * jurisdiction and an audit entry, fanned out on the topic, carried out by consent-service itself
 * (ledger erased or exported), completed once every awaited service reported. In tests the awaited
 * services are consent-service and profile-service, whose report the test sends as profile-service would.
 */
@QuarkusTest
class PrivacyRequestsTest {

    private static final String BOOTSTRAP = System.getenv().getOrDefault("KAIROS_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    private static final String TOPIC = "kairos.privacy.requests.consent-test";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaConsumer<String, byte[]> fanOut;
    private static final List<PrivacyRequest> published = new CopyOnWriteArrayList<>();

    @GrpcClient("consent")
    ConsentServiceGrpc.ConsentServiceBlockingStub consent;

    @Inject
    Pool pool;

    @BeforeAll
    static void tailFanOut() {
        fanOut = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        fanOut.subscribe(List.of(TOPIC));
        // Wait for the partition assignment, so nothing published from here on is missed.
        await().atMost(DEADLINE).until(() -> {
            fanOut.poll(Duration.ofMillis(100));
            return !fanOut.assignment().isEmpty();
        });
    }

    @AfterAll
    static void closeFanOut() {
        if (fanOut != null) {
            fanOut.close();
        }
    }

    private static List<PrivacyRequest> publishedFor(String requestId) {
        fanOut.poll(Duration.ofMillis(200)).forEach(record -> {
            try {
                published.add(PrivacyRequest.parseFrom(record.value()));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
        return published.stream().filter(request -> request.getRequestId().equals(requestId)).toList();
    }

    private static String newWorkspace() {
        return "ws-" + UUID.randomUUID();
    }

    private void locate(String ws, String profile, String country, String region) {
        pool.preparedQuery("insert into profile_context (workspace, profile_id, country, region, updated_at) values ($1, $2, $3, $4, now())")
                .execute(Tuple.of(ws, profile, country, region)).await().indefinitely();
    }

    private PrivacyRequestStatus submit(String ws, String profile, String kind) {
        return consent.submitPrivacyRequest(SubmitPrivacyRequestRequest.newBuilder().setWorkspace(ws).setProfileId(profile)
                .setKind(kind).setRequestedBy("priya").setNote("ticket DSR-17").build());
    }

    private PrivacyRequestStatus get(String ws, String requestId) {
        return consent.getPrivacyRequest(GetPrivacyRequestRequest.newBuilder().setWorkspace(ws).setRequestId(requestId).build());
    }

    private PrivacyRequestStatus report(String ws, String requestId, String service, String outcome, String exportJson) {
        return consent.reportPrivacyOutcome(PrivacyOutcome.newBuilder().setWorkspace(ws).setRequestId(requestId)
                .setService(service).setOutcome(outcome).setDetail("profile erased")
                .setExportJson(ByteString.copyFromUtf8(exportJson)).build());
    }

    private static String state(PrivacyRequestStatus status, String service) {
        return status.getServicesList().stream().filter(progress -> progress.getService().equals(service))
                .map(ServiceProgress::getState).findFirst().orElseThrow();
    }

    private static List<String> actions(PrivacyRequestStatus status) {
        return status.getAuditList().stream().map(entry -> entry.getActor() + " " + entry.getAction()).toList();
    }

    @Test
    void aDeleteRequestIsFannedOutCarriedOutHereAndCompletedWhenEveryServiceReported() {
        String ws = newWorkspace();
        locate(ws, "p-1", "US", "CA");
        consent.setConsent(SetConsentRequest.newBuilder().setWorkspace(ws).setProfileId("p-1").setPurpose("marketing")
                .setChannel("email").setStatus("granted").setSource("signup form").build());

        PrivacyRequestStatus submitted = submit(ws, "p-1", "delete");

        assertThat(submitted.getCreated()).isTrue();
        assertThat(submitted.getKind()).isEqualTo("delete");
        assertThat(submitted.getJurisdiction()).isEqualTo("US-CA");
        // CCPA: 45 days to answer.
        assertThat(submitted.getDeadlineMs() - submitted.getRequestedAtMs()).isEqualTo(Duration.ofDays(45).toMillis());
        assertThat(submitted.getState()).isEqualTo("pending");
        assertThat(submitted.getOverdue()).isFalse();
        assertThat(submitted.getServicesList()).extracting(ServiceProgress::getService)
                .containsExactly("profile-service", "consent-service");
        assertThat(submitted.getAudit(0)).satisfies(entry -> {
            assertThat(entry.getActor()).isEqualTo("priya");
            assertThat(entry.getAction()).isEqualTo("submitted");
            assertThat(entry.getDetail()).contains("US-CA").contains("ticket DSR-17");
        });
        String id = submitted.getRequestId();

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(publishedFor(id)).singleElement().satisfies(message -> {
            assertThat(message.getWorkspace()).isEqualTo(ws);
            assertThat(message.getProfileId()).isEqualTo("p-1");
            assertThat(message.getKind()).isEqualTo(PrivacyRequest.Kind.DELETE);
            assertThat(message.getRequestedBy()).isEqualTo("priya");
        }));
        // consent-service's own part: the ledger is erased and reported.
        await().atMost(DEADLINE).until(() -> state(get(ws, id), "consent-service").equals("done"));
        assertThat(consent.getConsents(GetConsentsRequest.newBuilder().setWorkspace(ws).setProfileId("p-1").build())
                .getHistoryList()).isEmpty();
        assertThat(get(ws, id).getState()).isEqualTo("pending");

        // While it is open, asking again answers the same request.
        PrivacyRequestStatus again = submit(ws, "p-1", "delete");
        assertThat(again.getCreated()).isFalse();
        assertThat(again.getRequestId()).isEqualTo(id);

        PrivacyRequestStatus completed = report(ws, id, "profile-service", "done", "");
        assertThat(completed.getState()).isEqualTo("completed");
        assertThat(completed.getCompletedAtMs()).isPositive();
        assertThat(actions(completed)).containsExactly("priya submitted", "consent-service published",
                "consent-service reported", "profile-service reported", "consent-service completed");

        // A redelivered request reports the same again, or a late failure comes in: a completed request stays as it is.
        assertThat(actions(report(ws, id, "profile-service", "done", ""))).hasSize(5);
        PrivacyRequestStatus late = report(ws, id, "profile-service", "failed", "");
        assertThat(late.getState()).isEqualTo("completed");
        assertThat(actions(late)).hasSize(5);
        // The gateway no longer finds the erased profile: the request that erased it answers, nothing new is opened.
        assertThat(existingOnly(ws, "p-1", "delete")).satisfies(answered -> {
            assertThat(answered.getRequestId()).isEqualTo(id);
            assertThat(answered.getCreated()).isFalse();
            assertThat(answered.getState()).isEqualTo("completed");
        });
        assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> existingOnly(ws, "p-1", "export")).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        // Once it completed, a new request is a new one, and it is the one answered while open.
        String next = submit(ws, "p-1", "delete").getRequestId();
        assertThat(next).isNotEqualTo(id);
        assertThat(existingOnly(ws, "p-1", "delete").getRequestId()).isEqualTo(next);
    }

    private PrivacyRequestStatus existingOnly(String ws, String profile, String kind) {
        return consent.submitPrivacyRequest(SubmitPrivacyRequestRequest.newBuilder().setWorkspace(ws).setProfileId(profile)
                .setKind(kind).setRequestedBy("priya").setExistingOnly(true).build());
    }

    @Test
    void theDeadlineFollowsTheProfilesJurisdictionAndAnOpenRequestPastItIsOverdue() {
        String ws = newWorkspace();
        locate(ws, "p-eu", "DE", null);
        assertThat(submit(ws, "p-eu", "export")).satisfies(eu -> {
            assertThat(eu.getJurisdiction()).isEqualTo("EU");
            assertThat(eu.getDeadlineMs() - eu.getRequestedAtMs()).isEqualTo(Duration.ofDays(30).toMillis());
        });

        // A workspace that gives its default jurisdiction one second to answer.
        consent.updatePolicies(UpdatePoliciesRequest.newBuilder().setWorkspace(ws).setUpdatedBy("priya")
                .setPoliciesJson(ByteString.copyFromUtf8("""
                        {"jurisdictions": {"FAST": {"name": "Fast", "places": [], "requestDeadline": "PT1S"}},
                         "defaultJurisdiction": "FAST"}""")).build());
        PrivacyRequestStatus nowhere = submit(ws, "p-nowhere", "suppress");
        assertThat(nowhere.getJurisdiction()).isEqualTo("FAST");

        await().atMost(DEADLINE).until(() -> get(ws, nowhere.getRequestId()).getOverdue());
        assertThat(consent.listPrivacyRequests(ListPrivacyRequestsRequest.newBuilder().setWorkspace(ws).setOverdueOnly(true).build())
                .getRequestsList()).extracting(PrivacyRequestStatus::getRequestId).containsExactly(nowhere.getRequestId());
        assertThat(consent.listPrivacyRequests(ListPrivacyRequestsRequest.newBuilder().setWorkspace(ws).build()).getRequestsList())
                .hasSize(2);
        // Another workspace sees none of them.
        assertThat(consent.listPrivacyRequests(ListPrivacyRequestsRequest.newBuilder().setWorkspace(newWorkspace()).build())
                .getRequestsCount()).isZero();
        StatusRuntimeException foreign = catchThrowableOfType(StatusRuntimeException.class,
                () -> get(newWorkspace(), nowhere.getRequestId()));
        assertThat(foreign.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);

        // A failure keeps it open and says so; a later success completes it, and it is no longer overdue.
        await().atMost(DEADLINE).until(() -> state(get(ws, nowhere.getRequestId()), "consent-service").equals("done"));
        assertThat(report(ws, nowhere.getRequestId(), "profile-service", "failed", "").getState()).isEqualTo("failed");
        // Asked again while failed: the same request, published again for every service to retry.
        await().atMost(DEADLINE).until(() -> publishedFor(nowhere.getRequestId()).size() == 1);
        assertThat(submit(ws, "p-nowhere", "suppress").getRequestId()).isEqualTo(nowhere.getRequestId());
        await().atMost(DEADLINE).until(() -> publishedFor(nowhere.getRequestId()).size() == 2);
        PrivacyRequestStatus done = report(ws, nowhere.getRequestId(), "profile-service", "done", "");
        assertThat(done.getState()).isEqualTo("completed");
        assertThat(done.getOverdue()).isFalse();
    }

    @Test
    void anExportGathersWhatEachServiceHoldsOnceAllReported() throws Exception {
        String ws = newWorkspace();
        locate(ws, "p-2", "US", "TX");
        consent.setConsent(SetConsentRequest.newBuilder().setWorkspace(ws).setProfileId("p-2").setPurpose("marketing")
                .setChannel("sms").setStatus("granted").setSource("checkout").setFormId("f-9").setIp("198.51.100.4").build());

        String id = submit(ws, "p-2", "export").getRequestId();
        await().atMost(DEADLINE).until(() -> state(get(ws, id), "consent-service").equals("done"));
        assertThat(get(ws, id).getExportJson().isEmpty()).as("no export while a service is pending").isTrue();

        report(ws, id, "profile-service", "done", "{\"profile\": {\"traits\": {\"email\": \"ada@example.com\"}}}");

        PrivacyRequestStatus completed = get(ws, id);
        assertThat(completed.getState()).isEqualTo("completed");
        JsonNode export = JSON.readTree(completed.getExportJson().toByteArray());
        assertThat(export.at("/profile-service/profile/traits/email").asText()).isEqualTo("ada@example.com");
        assertThat(export.at("/consent-service/currentConsents/0/purpose").asText()).isEqualTo("marketing");
        assertThat(export.at("/consent-service/currentConsents/0/proof/ip").asText()).isEqualTo("198.51.100.4");
        assertThat(export.at("/consent-service/location/region").asText()).isEqualTo("TX");
        // The ledger stays: an export erases nothing.
        assertThat(consent.getConsents(GetConsentsRequest.newBuilder().setWorkspace(ws).setProfileId("p-2").build())
                .getHistoryCount()).isEqualTo(1);

        // Once kept for the export retention (30 days) after completion, the data goes; the record stays.
        pool.preparedQuery("update privacy_request set completed_at = completed_at - interval '31 days' where id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
        await().atMost(DEADLINE).until(() -> get(ws, id).getExportJson().isEmpty());
        assertThat(get(ws, id).getState()).isEqualTo("completed");
        assertThat(actions(get(ws, id))).last().isEqualTo("consent-service expired");
    }

    @Test
    void aRequestStoredButNeverPublishedIsPublishedByTheRelay() {
        String ws = newWorkspace();
        UUID id = UUID.randomUUID();
        OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        // As if the service died between the commit and Kafka's acknowledgement.
        pool.preparedQuery("""
                        insert into privacy_request (id, workspace, profile_id, kind, requested_by, note, jurisdiction, services,
                                                     requested_at, deadline)
                        values ($1, $2, 'p-3', 'delete', 'priya', '', 'DEFAULT', $3, $4, $5)""")
                .execute(Tuple.of(id, ws, new String[]{"profile-service", "consent-service"}, longAgo, longAgo.plusDays(30)))
                .await().indefinitely();

        await().atMost(DEADLINE).until(() -> publishedFor(id.toString()).size() == 1);
        await().atMost(DEADLINE).until(() -> state(get(ws, id.toString()), "consent-service").equals("done"));
        assertThat(actions(get(ws, id.toString()))).containsExactly("consent-service published", "consent-service reported");
    }

    @Test
    void refusedInputIsAnInvalidArgumentNamingTheFieldAndChangesNothing() throws Exception {
        String ws = newWorkspace();
        assertThat(reason(() -> submit(ws, "p-4", "forget"))).isEqualTo("UNKNOWN_KIND");
        assertThat(reason(() -> consent.submitPrivacyRequest(SubmitPrivacyRequestRequest.newBuilder().setWorkspace(ws)
                .setProfileId("p-4").setKind("delete").build()))).isEqualTo("FIELD_REQUIRED");
        assertThat(consent.listPrivacyRequests(ListPrivacyRequestsRequest.newBuilder().setWorkspace(ws).build())
                .getRequestsCount()).isZero();

        String id = submit(ws, "p-4", "delete").getRequestId();
        assertThat(reason(() -> report(ws, id, "billing-service", "done", ""))).isEqualTo("UNKNOWN_SERVICE");
        assertThat(reason(() -> report(ws, id, "profile-service", "maybe", ""))).isEqualTo("UNKNOWN_OUTCOME");
        assertThat(reason(() -> report(ws, id, "profile-service", "done", "{}"))).isEqualTo("UNEXPECTED_EXPORT");
        assertThat(reason(() -> report(ws, "not-a-uuid", "profile-service", "done", ""))).isEqualTo("INVALID_REQUEST_ID");
        assertThat(state(get(ws, id), "profile-service")).isEqualTo("pending");

        String export = submit(ws, "p-4", "export").getRequestId();
        assertThat(reason(() -> report(ws, export, "profile-service", "done", ""))).isEqualTo("EXPORT_MISSING");
        assertThat(reason(() -> report(ws, export, "profile-service", "done", "[1]"))).isEqualTo("NOT_AN_OBJECT");
        assertThat(get(ws, export).getAuditList()).extracting(PrivacyAuditEntry::getActor).doesNotContain("profile-service");

        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
                () -> report(ws, UUID.randomUUID().toString(), "profile-service", "done", ""));
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    private static String reason(Runnable call) throws InvalidProtocolBufferException {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(failure).as("refused").isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        return StatusProto.fromThrowable(failure).getDetails(0).unpack(ErrorInfo.class).getReason();
    }
}
