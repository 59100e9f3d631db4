package io.kairos.gateway;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.kairos.api.profile.LookupProfileRequest;
import io.kairos.api.profile.Profile;
import io.kairos.api.profile.ProfileServiceGrpc;
import io.kairos.api.segment.ProfileSegment;
import io.kairos.api.segment.ProfileSegmentsRequest;
import io.kairos.api.segment.ProfileSegmentsResponse;
import io.kairos.api.segment.SegmentServiceGrpc;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for profile-service and segment-service while the gateway's visitor endpoints are
 * tested: a real gRPC server on loopback answering LookupProfile and GetProfileSegments from
 * what a test registered, and NOT_FOUND (as profile-service does) for a visitor it did not.
 * The visitor endpoints' other side (Kafka, Redis) is real; the services themselves are covered
 * end to end in e2e. Ordered after {@link OtherServicesDown}, so that its client ports win.
 */
public class VisitorDirectory implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, String> PROFILES = new ConcurrentHashMap<>();
    private static final Map<String, List<ProfileSegment>> SEGMENTS = new ConcurrentHashMap<>();

    private Server server;

    /** Profile-service knows the visitor {@code type:value} of the workspace as {@code profileId}. */
    public static void know(String workspace, String type, String value, String profileId) {
        PROFILES.put(workspace + "|" + type + "|" + value, profileId);
    }

    /** Segment-service has the profile in these segments. */
    public static void segments(String workspace, String profileId, List<ProfileSegment> segments) {
        SEGMENTS.put(workspace + "|" + profileId, segments);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(new Profiles())
                    .addService(new Segments())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String port = String.valueOf(server.getPort());
        return Map.of(
                "quarkus.grpc.clients.profile.test-port", port,
                "quarkus.grpc.clients.segment.test-port", port,
                // Seconds-long, so that a test sees heartbeats without waiting for the production interval.
                "kairos.in-app.heartbeat", "1s");
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

    private static final class Profiles extends ProfileServiceGrpc.ProfileServiceImplBase {

        @Override
        public void lookupProfile(LookupProfileRequest request, StreamObserver<Profile> response) {
            String profileId = PROFILES.get(request.getWorkspace() + "|" + request.getIdentifier().getType() + "|"
                    + request.getIdentifier().getValue());
            if (profileId == null) {
                response.onError(StatusProto.toStatusRuntimeException(Status.newBuilder()
                        .setCode(Code.NOT_FOUND.getNumber())
                        .setMessage("no profile with identifier " + request.getIdentifier().getType() + ":"
                                + request.getIdentifier().getValue())
                        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("PROFILE_NOT_FOUND")
                                .setDomain("kairos.io").build()))
                        .build()));
                return;
            }
            response.onNext(Profile.newBuilder().setWorkspace(request.getWorkspace()).setProfileId(profileId)
                    .addIdentifiers(request.getIdentifier()).build());
            response.onCompleted();
        }
    }

    private static final class Segments extends SegmentServiceGrpc.SegmentServiceImplBase {

        @Override
        public void getProfileSegments(ProfileSegmentsRequest request, StreamObserver<ProfileSegmentsResponse> response) {
            response.onNext(ProfileSegmentsResponse.newBuilder()
                    .addAllSegments(SEGMENTS.getOrDefault(request.getWorkspace() + "|" + request.getProfileId(), List.of()))
                    .build());
            response.onCompleted();
        }
    }
}
