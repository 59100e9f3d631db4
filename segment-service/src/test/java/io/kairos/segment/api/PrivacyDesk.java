package io.kairos.segment.api;

import io.grpc.Status;
import io.kairos.api.consent.MutinyConsentServiceGrpc;
import io.kairos.api.consent.PrivacyOutcome;
import io.kairos.api.consent.PrivacyRequestStatus;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC ConsentService served by the application under test on its test port, standing in for
 * consent-service's privacy desk: it records every ReportPrivacyOutcome segment-service sends, and
 * can answer UNAVAILABLE first to show reports are retried. consent-service's tracking of requests
 * is tested in consent-service.
 */
@GrpcService
public class PrivacyDesk extends MutinyConsentServiceGrpc.ConsentServiceImplBase {

    private final Map<String, List<PrivacyOutcome>> reports = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unavailableFirst = new ConcurrentHashMap<>();

    /** The next {@code times} reports of the request fail with UNAVAILABLE. */
    public void unavailableFor(String requestId, int times) {
        unavailableFirst.put(requestId, new AtomicInteger(times));
    }

    public List<PrivacyOutcome> reports(String requestId) {
        return List.copyOf(reports.getOrDefault(requestId, List.of()));
    }

    @Override
    public Uni<PrivacyRequestStatus> reportPrivacyOutcome(PrivacyOutcome outcome) {
        AtomicInteger failures = unavailableFirst.get(outcome.getRequestId());
        if (failures != null && failures.getAndDecrement() > 0) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.withDescription("scripted outage").asRuntimeException());
        }
        reports.computeIfAbsent(outcome.getRequestId(), id -> new CopyOnWriteArrayList<>()).add(outcome);
        return Uni.createFrom().item(PrivacyRequestStatus.newBuilder().setRequestId(outcome.getRequestId()).build());
    }
}
