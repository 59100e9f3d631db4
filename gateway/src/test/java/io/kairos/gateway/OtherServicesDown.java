package io.kairos.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The other Kairos services are not running while the gateway's tests run. Profile, segment
 * and consent clients point at a port nobody listens on (connection refused); the trigger
 * client points at a socket that accepts connections and never answers, so that only the
 * gRPC deadline ends the call. (In test mode Quarkus points gRPC clients at the test port of
 * the application itself unless test-port is set.)
 */
public class OtherServicesDown implements QuarkusTestResourceLifecycleManager {

    private ServerSocket silent;

    @Override
    public Map<String, String> start() {
        int closed = closedPort();
        try {
            silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.grpc.clients.profile.test-port", String.valueOf(closed),
                "quarkus.grpc.clients.segment.test-port", String.valueOf(closed),
                "quarkus.grpc.clients.consent.test-port", String.valueOf(closed),
                "quarkus.grpc.clients.trigger.test-port", String.valueOf(silent.getLocalPort()));
    }

    @Override
    public void stop() {
        try {
            silent.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
