package io.kairos.trigger.testing;

import io.grpc.Status;
import io.kairos.api.consent.CheckRequest;
import io.kairos.api.consent.ConsentRecord;
import io.kairos.api.consent.ConsentService;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.GetConsentsRequest;
import io.kairos.api.consent.GetConsentsResponse;
import io.kairos.api.consent.SetConsentRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC ConsentService served by the application under test (the trigger-service client
 * reaches it over the network on the test port), answering Check from what each test scripts for
 * its profile. consent-service's own logic is tested in consent-service.
 */
@GrpcService
public class ScriptedConsentService implements ConsentService {

    private record Script(Decision decision, int failuresFirst) {
    }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresServed = new ConcurrentHashMap<>();
    private final Map<String, List<CheckRequest>> requests = new ConcurrentHashMap<>();

    public void allow(String workspace, String profileId) {
        scripts.put(key(workspace, profileId), new Script(verdict(Decision.Verdict.ALLOW, "granted"), 0));
    }

    public void deny(String workspace, String profileId, String reason) {
        scripts.put(key(workspace, profileId), new Script(verdict(Decision.Verdict.DENY, reason), 0));
    }

    /** UNAVAILABLE for the first {@code failures} checks, then ALLOW. */
    public void unavailableThenAllow(String workspace, String profileId, int failures) {
        scripts.put(key(workspace, profileId), new Script(verdict(Decision.Verdict.ALLOW, "granted"), failures));
    }

    public void alwaysUnavailable(String workspace, String profileId) {
        scripts.put(key(workspace, profileId), new Script(null, Integer.MAX_VALUE));
    }

    public List<CheckRequest> checks(String workspace, String profileId) {
        return List.copyOf(requests.getOrDefault(key(workspace, profileId), List.of()));
    }

    @Override
    public Uni<Decision> check(CheckRequest request) {
        String key = key(request.getWorkspace(), request.getProfileId());
        requests.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(request);
        Script script = scripts.get(key);
        if (script == null) {
            return Uni.createFrom().item(verdict(Decision.Verdict.DENY, "nothing scripted for this profile"));
        }
        if (failuresServed.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement() < script.failuresFirst()) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.withDescription("scripted outage").asRuntimeException());
        }
        return Uni.createFrom().item(script.decision());
    }

    @Override
    public Uni<ConsentRecord> setConsent(SetConsentRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<GetConsentsResponse> getConsents(GetConsentsRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    private static Decision verdict(Decision.Verdict verdict, String reason) {
        return Decision.newBuilder().setVerdict(verdict).setReason(reason).build();
    }

    private static String key(String workspace, String profileId) {
        return workspace + "/" + profileId;
    }
}
