package io.kairos.trigger.testing;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kairos.api.consent.CheckBatchRequest;
import io.kairos.api.consent.CheckBatchResponse;
import io.kairos.api.consent.CheckRequest;
import io.kairos.api.consent.ConsentRecord;
import io.kairos.api.consent.ConsentService;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.GetConsentsRequest;
import io.kairos.api.consent.GetConsentsResponse;
import io.kairos.api.consent.GetPoliciesRequest;
import io.kairos.api.consent.GetPrivacyRequestRequest;
import io.kairos.api.consent.ListPrivacyRequestsRequest;
import io.kairos.api.consent.ListPrivacyRequestsResponse;
import io.kairos.api.consent.PrivacyOutcome;
import io.kairos.api.consent.PrivacyRequestStatus;
import io.kairos.api.consent.SubmitPrivacyRequestRequest;
import io.kairos.api.consent.SetConsentRequest;
import io.kairos.api.consent.UpdatePoliciesRequest;
import io.kairos.api.consent.WorkspacePolicies;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC ConsentService served by the application under test (the trigger-service client
 * reaches it over the network on the test port), answering Check from what each test scripts for
 * its profile. Like consent-service, it refuses a purpose or channel outside the ledger's
 * vocabulary with INVALID_ARGUMENT before any script is consulted, so a caller asking in words
 * consent-service does not know fails here too. consent-service's own logic is tested in consent-service.
 */
@GrpcService
public class ScriptedConsentService implements ConsentService {

    /** consent-service's vocabulary (its Purpose and Channel enums), in its order. */
    private static final List<String> PURPOSES =
            List.of("analytics", "personalization", "marketing", "sale_share", "sensitive");
    private static final List<String> CHANNELS = List.of("email", "sms", "push", "in_app", "web", "all");

    /**
     * @param refusal    when set, every check fails with it
     * @param deferUntil when set, a check about an instant before it is deferred to it (quiet hours)
     */
    private record Script(Decision decision, int failuresFirst, StatusRuntimeException refusal, Instant deferUntil) {

        Script(Decision decision, int failuresFirst, StatusRuntimeException refusal) {
            this(decision, failuresFirst, refusal, null);
        }
    }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresServed = new ConcurrentHashMap<>();
    private final Map<String, List<CheckRequest>> requests = new ConcurrentHashMap<>();
    private final Map<String, List<PrivacyOutcome>> privacyReports = new ConcurrentHashMap<>();
    private final Map<String, String> policies = new ConcurrentHashMap<>();

    /** The privacy outcomes reported for a request, in the order they came. */
    public List<PrivacyOutcome> privacyReports(String requestId) {
        return List.copyOf(privacyReports.getOrDefault(requestId, List.of()));
    }

    public void allow(String workspace, String profileId) {
        scripts.put(key(workspace, profileId), new Script(verdict(Decision.Verdict.ALLOW, "granted"), 0, null));
    }

    public void deny(String workspace, String profileId, String reason) {
        scripts.put(key(workspace, profileId), new Script(verdict(Decision.Verdict.DENY, reason), 0, null));
    }

    /** UNAVAILABLE for the first {@code failures} checks, then ALLOW. */
    public void unavailableThenAllow(String workspace, String profileId, int failures) {
        scripts.put(key(workspace, profileId), new Script(verdict(Decision.Verdict.ALLOW, "granted"), failures, null));
    }

    /** DEFER to {@code until} for a send before it, as quiet hours do; ALLOW from then on. */
    public void quietUntil(String workspace, String profileId, Instant until) {
        scripts.put(key(workspace, profileId), new Script(verdict(Decision.Verdict.ALLOW, "granted"), 0, null, until));
    }

    public void alwaysUnavailable(String workspace, String profileId) {
        scripts.put(key(workspace, profileId), new Script(null, Integer.MAX_VALUE, null));
    }

    /** Every check fails with {@code status}, as consent-service refuses a question it finds wrong. */
    public void refuse(String workspace, String profileId, Status status) {
        scripts.put(key(workspace, profileId), new Script(null, 0, status.asRuntimeException()));
    }

    public List<CheckRequest> checks(String workspace, String profileId) {
        return List.copyOf(requests.getOrDefault(key(workspace, profileId), List.of()));
    }

    @Override
    public Uni<Decision> check(CheckRequest request) {
        String key = key(request.getWorkspace(), request.getProfileId());
        requests.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(request);
        Optional<StatusRuntimeException> outsideVocabulary = unknown("purpose", request.getPurpose(), PURPOSES,
                "UNKNOWN_PURPOSE").or(() -> unknown("channel", request.getChannel(), CHANNELS, "UNKNOWN_CHANNEL"));
        if (outsideVocabulary.isPresent()) {
            return Uni.createFrom().failure(outsideVocabulary.get());
        }
        Script script = scripts.get(key);
        if (script == null) {
            return Uni.createFrom().item(verdict(Decision.Verdict.DENY, "nothing scripted for this profile"));
        }
        if (script.refusal() != null) {
            return Uni.createFrom().failure(script.refusal());
        }
        if (failuresServed.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement() < script.failuresFirst()) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.withDescription("scripted outage").asRuntimeException());
        }
        if (script.deferUntil() != null && request.getAtMs() < script.deferUntil().toEpochMilli()) {
            return Uni.createFrom().item(Decision.newBuilder().setVerdict(Decision.Verdict.DEFER)
                    .setDeferUntilMs(script.deferUntil().toEpochMilli()).setReason("quiet hours").build());
        }
        return Uni.createFrom().item(script.decision());
    }

    /** trigger-service does not ask in batches; a test that relied on it should fail loudly. */
    @Override
    public Uni<CheckBatchResponse> checkBatch(CheckBatchRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.withDescription("not scripted").asRuntimeException());
    }

    @Override
    public Uni<ConsentRecord> setConsent(SetConsentRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<GetConsentsResponse> getConsents(GetConsentsRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    /** The workspace's policies as consent-service answers them; caps as in its policies JSON. */
    public void policies(String workspace, String policiesJson) {
        policies.put(workspace, policiesJson);
    }

    @Override
    public Uni<WorkspacePolicies> getPolicies(GetPoliciesRequest request) {
        String json = policies.getOrDefault(request.getWorkspace(),
                "{\"defaultTimezone\": \"UTC\", \"quietHours\": {}, \"frequencyCaps\": []}");
        return Uni.createFrom().item(WorkspacePolicies.newBuilder().setWorkspace(request.getWorkspace())
                .setPoliciesJson(ByteString.copyFromUtf8(json)).build());
    }

    @Override
    public Uni<WorkspacePolicies> updatePolicies(UpdatePoliciesRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    /** The INVALID_ARGUMENT consent-service answers for a missing or unknown word (see its ConsentVocabulary). */
    private static Optional<StatusRuntimeException> unknown(String field, String value, List<String> allowed,
                                                            String unknownReason) {
        if (allowed.contains(value)) {
            return Optional.empty();
        }
        boolean missing = value.isBlank();
        String joined = String.join(", ", allowed);
        ErrorInfo.Builder info = ErrorInfo.newBuilder()
                .setReason(missing ? "FIELD_REQUIRED" : unknownReason)
                .setDomain("kairos.io")
                .putMetadata("field", "/" + field);
        if (!missing) {
            info.putMetadata("allowed", joined);
        }
        return Optional.of(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(missing ? field + " is required" : field + " '" + value + "' is not one of " + joined)
                .addDetails(Any.pack(info.build()))
                .build()));
    }

    private static Decision verdict(Decision.Verdict verdict, String reason) {
        return Decision.newBuilder().setVerdict(verdict).setReason(reason).build();
    }

    private static String key(String workspace, String profileId) {
        return workspace + "/" + profileId;
    }

    @Override
    public Uni<PrivacyRequestStatus> reportPrivacyOutcome(PrivacyOutcome outcome) {
        privacyReports.computeIfAbsent(outcome.getRequestId(), id -> new CopyOnWriteArrayList<>()).add(outcome);
        return Uni.createFrom().item(PrivacyRequestStatus.newBuilder().setRequestId(outcome.getRequestId()).build());
    }

    @Override
    public Uni<PrivacyRequestStatus> submitPrivacyRequest(SubmitPrivacyRequestRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<PrivacyRequestStatus> getPrivacyRequest(GetPrivacyRequestRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<ListPrivacyRequestsResponse> listPrivacyRequests(ListPrivacyRequestsRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }
}
