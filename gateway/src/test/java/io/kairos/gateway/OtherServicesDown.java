package io.kairos.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

/**
 * The other Kairos services are not running while the gateway's tests run. Profile and
 * segment clients point at a port nobody listens on (connection refused); the consent client
 * at a socket that counts the connections made to it and hangs up on each (so a test can tell
 * whether consent-service was called at all); the trigger client at a socket that accepts
 * connections and never answers, so that only the gRPC deadline ends the call. (In test mode
 * Quarkus points gRPC clients at the test port of the application itself unless test-port is set.)
 */
public class OtherServicesDown implements QuarkusTestResourceLifecycleManager {


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

    /**
     * How many calls the gateway has made to consent-service so far, from its gRPC client metrics.
     * (Not the connections: the client reconnects to the hung-up socket on its own, with backoff.)
     */
    public static long consentServiceCalls() {
        return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("grpc_client_processing_duration_seconds_count{")
                        && line.contains("service=\"kairos.consent.ConsentService\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static void hangUpOnEveryone(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket ignored = server.accept()) {
                // hung up at once
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
