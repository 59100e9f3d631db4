package io.kairos.consent.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kairos.api.consent.CheckRequest;
import io.kairos.api.consent.ConsentRecord;
import io.kairos.api.consent.ConsentServiceGrpc;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.GetConsentsRequest;
import io.kairos.api.consent.GetConsentsResponse;
import io.kairos.api.consent.SetConsentRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** ConsentService over a real gRPC client on the test port, against the real PostgreSQL ledger. */
@QuarkusTest
class ConsentGrpcServiceTest {

    @GrpcClient("consent")
    ConsentServiceGrpc.ConsentServiceBlockingStub consent;

    @Inject
    Pool pool;

    private static String newWorkspace() {
        return "ws-" + UUID.randomUUID();
    }

    private ConsentRecord set(String workspace, String profileId, String purpose, String channel, String status, String source) {
        return consent.setConsent(SetConsentRequest.newBuilder().setWorkspace(workspace).setProfileId(profileId)
                .setPurpose(purpose).setChannel(channel).setStatus(status).setSource(source).build());
    }

    private Decision check(String workspace, String profileId, String purpose, String channel, long atMs) {
        return consent.check(CheckRequest.newBuilder().setWorkspace(workspace).setProfileId(profileId)
                .setPurpose(purpose).setChannel(channel).setAtMs(atMs).build());
    }

    private GetConsentsResponse consents(String workspace, String profileId) {
        return consent.getConsents(GetConsentsRequest.newBuilder().setWorkspace(workspace).setProfileId(profileId).build());
    }

    private long storedRows(String workspace) {
        return pool.preparedQuery("select count(*) from consent_record where workspace = $1")
                .execute(Tuple.of(workspace)).await().indefinitely().iterator().next().getLong(0);
    }

    private static ErrorInfo invalidArgument(StatusRuntimeException failure) throws InvalidProtocolBufferException {
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        assertThat(status).as("google.rpc.Status in the trailers").isNotNull();
        assertThat(status.getDetailsList()).hasSize(1);
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getDomain()).isEqualTo("kairos.io");
        return info;
    }

    @Test
    void grantedConsentAllows() {
        String ws = newWorkspace();
        Instant before = Instant.now();

        ConsentRecord record = set(ws, "p-1", "marketing", "email", "granted", "signup-form");

        assertThat(record.getWorkspace()).isEqualTo(ws);
        assertThat(record.getProfileId()).isEqualTo("p-1");
        assertThat(record.getStatus()).isEqualTo("granted");
        assertThat(record.getSource()).isEqualTo("signup-form");
        assertThat(record.getRecordedAtMs()).isBetween(before.toEpochMilli() - 1000, Instant.now().toEpochMilli() + 1000);

        Decision decision = check(ws, "p-1", "marketing", "email", 0);
        assertThat(decision.getVerdict()).isEqualTo(Decision.Verdict.ALLOW);
        assertThat(decision.getReason()).startsWith("consent granted for marketing/email at ");
        assertThat(decision.getRulesList()).containsExactly("ledger.latest_record");

        // An explicit grant also opens the channel that is closed by default. Asked at tomorrow's noon
        // (UTC, the workspace's zone): outside SMS quiet hours whenever the test runs.
        long noon = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).atTime(12, 0)
                .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        assertThat(check(ws, "p-1", "marketing", "sms", noon).getVerdict()).isEqualTo(Decision.Verdict.DENY);
        set(ws, "p-1", "marketing", "sms", "granted", "double-opt-in");
        assertThat(check(ws, "p-1", "marketing", "sms", noon).getVerdict()).isEqualTo(Decision.Verdict.ALLOW);
    }

    @Test
    void revokedConsentDeniesWithReasonAndHistoryKeepsBoth() {
        String ws = newWorkspace();
        ConsentRecord granted = set(ws, "p-1", "marketing", "email", "granted", "signup-form");
        ConsentRecord revoked = set(ws, "p-1", "marketing", "email", "revoked", "preference-center");

        Decision decision = check(ws, "p-1", "marketing", "email", 0);
        assertThat(decision.getVerdict()).isEqualTo(Decision.Verdict.DENY);
        assertThat(decision.getReason()).isEqualTo("consent revoked for marketing/email at "
                + Instant.ofEpochMilli(revoked.getRecordedAtMs()) + " (source preference-center)");
        assertThat(decision.getRulesList()).containsExactly("ledger.latest_record");

        // Asked about an instant before the ledger had anything, the default applies.
        Decision earlier = check(ws, "p-1", "marketing", "email", granted.getRecordedAtMs() - 1);
        assertThat(earlier.getVerdict()).isEqualTo(Decision.Verdict.ALLOW);
        assertThat(earlier.getRulesList()).containsExactly("DEFAULT.opt_out");

        GetConsentsResponse consents = consents(ws, "p-1");
        assertThat(consents.getHistoryList()).containsExactly(granted, revoked);
        assertThat(consents.getCurrentList()).containsExactly(revoked);
    }

    @Test
    void revokingAllChannelsDeniesEachChannel() {
        String ws = newWorkspace();
        set(ws, "p-1", "marketing", "email", "granted", "signup-form");
        set(ws, "p-1", "marketing", "all", "revoked", "unsubscribe-all");

        Decision email = check(ws, "p-1", "marketing", "email", 0);
        assertThat(email.getVerdict()).isEqualTo(Decision.Verdict.DENY);
        assertThat(email.getReason()).contains("marketing/all").contains("unsubscribe-all");
        assertThat(check(ws, "p-1", "marketing", "push", 0).getVerdict()).isEqualTo(Decision.Verdict.DENY);
        assertThat(check(ws, "p-1", "analytics", "push", 0).getVerdict()).isEqualTo(Decision.Verdict.ALLOW);
    }

    @Test
    void badInputIsRefusedPreciselyAndNothingIsStored() throws InvalidProtocolBufferException {
        String ws = newWorkspace();

        ErrorInfo purpose = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> set(ws, "p-1", "advertising", "email", "granted", "form")));
        assertThat(purpose.getReason()).isEqualTo("UNKNOWN_PURPOSE");
        assertThat(purpose.getMetadataMap()).containsEntry("field", "/purpose")
                .containsEntry("allowed", "analytics, personalization, marketing, sale_share, sensitive");

        ErrorInfo channel = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> set(ws, "p-1", "marketing", "fax", "granted", "form")));
        assertThat(channel.getReason()).isEqualTo("UNKNOWN_CHANNEL");
        assertThat(channel.getMetadataMap()).containsEntry("field", "/channel");

        ErrorInfo status = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> set(ws, "p-1", "marketing", "email", "yes", "form")));
        assertThat(status.getReason()).isEqualTo("UNKNOWN_STATUS");
        assertThat(status.getMetadataMap()).containsEntry("field", "/status");

        ErrorInfo profile = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> set(ws, "", "marketing", "email", "granted", "form")));
        assertThat(profile.getReason()).isEqualTo("FIELD_REQUIRED");
        assertThat(profile.getMetadataMap()).containsEntry("field", "/profileId");

        StatusRuntimeException noWorkspace = catchThrowableOfType(StatusRuntimeException.class,
                () -> set("", "p-1", "marketing", "email", "granted", "form"));
        assertThat(invalidArgument(noWorkspace).getMetadataMap()).containsEntry("field", "/workspace");
        assertThat(noWorkspace.getStatus().getDescription()).isEqualTo("workspace is required");

        assertThat(storedRows(ws)).isZero();
        assertThat(consents(ws, "p-1").getHistoryList()).isEmpty();
    }

    @Test
    void checkAndGetConsentsRefuseBadInput() throws InvalidProtocolBufferException {
        String ws = newWorkspace();

        ErrorInfo purpose = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> check(ws, "p-1", "spam", "email", 0)));
        assertThat(purpose.getReason()).isEqualTo("UNKNOWN_PURPOSE");
        assertThat(purpose.getMetadataMap()).containsEntry("field", "/purpose");

        ErrorInfo channel = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> check(ws, "p-1", "marketing", "carrier-pigeon", 0)));
        assertThat(channel.getReason()).isEqualTo("UNKNOWN_CHANNEL");
        assertThat(channel.getMetadataMap()).containsEntry("field", "/channel");

        ErrorInfo time = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> check(ws, "p-1", "marketing", "email", -5)));
        assertThat(time.getReason()).isEqualTo("INVALID_TIMESTAMP");
        assertThat(time.getMetadataMap()).containsEntry("field", "/atMs");

        ErrorInfo profile = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> consents(ws, " ")));
        assertThat(profile.getReason()).isEqualTo("FIELD_REQUIRED");
        assertThat(profile.getMetadataMap()).containsEntry("field", "/profileId");
    }

    @Test
    void workspacesAreIsolated() {
        String a = newWorkspace();
        String b = newWorkspace();
        set(a, "p-shared", "marketing", "email", "revoked", "preference-center");

        assertThat(check(a, "p-shared", "marketing", "email", 0).getVerdict()).isEqualTo(Decision.Verdict.DENY);

        Decision inB = check(b, "p-shared", "marketing", "email", 0);
        assertThat(inB.getVerdict()).isEqualTo(Decision.Verdict.ALLOW);
        assertThat(inB.getReason()).isEqualTo("no consent record; opt-out under DEFAULT");
        assertThat(inB.getRulesList()).containsExactly("DEFAULT.opt_out");

        GetConsentsResponse consentsInB = consents(b, "p-shared");
        assertThat(consentsInB.getCurrentList()).isEmpty();
        assertThat(consentsInB.getHistoryList()).isEmpty();
        assertThat(consents(a, "p-shared").getHistoryList()).hasSize(1);
    }
}
