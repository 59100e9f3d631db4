package io.kairos.gateway;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kairos.api.consent.ConsentServiceGrpc;
import io.kairos.api.consent.PrivacyOutcome;
import io.kairos.api.consent.PrivacyRequestStatus;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for consent-service's privacy desk while the gateway's part of privacy requests is
 * tested: a real gRPC server on loopback recording every ReportPrivacyOutcome. consent-service's
 * tracking of requests is tested there, and the whole flow in e2e. Ordered after
 * {@link OtherServicesDown}, so that its consent port wins.
 */
public class PrivacyDesk implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, List<PrivacyOutcome>> REPORTS = new ConcurrentHashMap<>();

    private Server server;

    public static List<PrivacyOutcome> reports(String requestId) {
        return List.copyOf(REPORTS.getOrDefault(requestId, List.of()));
    }

    @Override
    public Map<String, String> start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(new Desk())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.grpc.clients.consent.test-port", String.valueOf(server.getPort()));
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public void stop() {
        try {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Desk extends ConsentServiceGrpc.ConsentServiceImplBase {

        @Override
        public void reportPrivacyOutcome(PrivacyOutcome outcome, StreamObserver<PrivacyRequestStatus> response) {
            REPORTS.computeIfAbsent(outcome.getRequestId(), id -> new CopyOnWriteArrayList<>()).add(outcome);
            response.onNext(PrivacyRequestStatus.newBuilder().setRequestId(outcome.getRequestId()).build());
            response.onCompleted();
        }
    }
}
