package io.kairos.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The other Kairos services are not running while the gateway's tests run. Profile and
 * segment clients point at a port nobody listens on (connection refused); the consent client
 * at a socket that counts the connections made to it and hangs up on each (so a test can tell
 * whether consent-service was called at all); the trigger client at a socket that accepts
 * connections and never answers, so that only the gRPC deadline ends the call. (In test mode
 * Quarkus points gRPC clients at the test port of the application itself unless test-port is set.)
 */
public class OtherServicesDown implements QuarkusTestResourceLifecycleManager {

    private static final AtomicInteger CONSENT_SERVICE_CONNECTIONS = new AtomicInteger();

    private ServerSocket silent;
    private ServerSocket consent;

    @Override
    public Map<String, String> start() {
        int closed = closedPort();
        try {
            silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            consent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("consent-service-down").start(() -> hangUpOnEveryone(consent));
        return Map.of(
                "quarkus.grpc.clients.profile.test-port", String.valueOf(closed),
                "quarkus.grpc.clients.segment.test-port", String.valueOf(closed),
                "quarkus.grpc.clients.consent.test-port", String.valueOf(consent.getLocalPort()),
                "quarkus.grpc.clients.trigger.test-port", String.valueOf(silent.getLocalPort()));
    }

    @Override
    public void stop() {
        try {
            silent.close();
            consent.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times the gateway has connected to consent-service so far. */
    public static int consentServiceConnections() {
        return CONSENT_SERVICE_CONNECTIONS.get();
    }

    private static void hangUpOnEveryone(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket connection = server.accept()) {
                // Counted before the hang-up: the gateway sees the call fail only after this.
                CONSENT_SERVICE_CONNECTIONS.incrementAndGet();
            } catch (IOException closedOrReset) {
                // stop() closed the socket (the loop ends), or the gateway gave up on one connection.
            }
        }
    }

    /** A port that was free a moment ago: nothing listens there. */
    public static int closedPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
