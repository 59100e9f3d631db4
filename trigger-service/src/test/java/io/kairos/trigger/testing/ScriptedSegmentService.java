package io.kairos.trigger.testing;

import io.kairos.api.segment.MutinySegmentServiceGrpc;
import io.kairos.api.segment.ProfileSegment;
import io.kairos.api.segment.ProfileSegmentsRequest;
import io.kairos.api.segment.ProfileSegmentsResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real gRPC SegmentService served by the application under test, standing in for segment-service's
 * memberships: a profile is in the segments a test puts it in. segment-service's own membership is
 * tested there.
 */
@GrpcService
public class ScriptedSegmentService extends MutinySegmentServiceGrpc.SegmentServiceImplBase {

    private final Map<String, Set<String>> memberships = new ConcurrentHashMap<>();

    public void enter(String workspace, String profileId, String segmentId) {
        memberships.computeIfAbsent(workspace + "/" + profileId, key -> ConcurrentHashMap.newKeySet()).add(segmentId);
    }

    public void exit(String workspace, String profileId, String segmentId) {
        memberships.getOrDefault(workspace + "/" + profileId, Set.of()).remove(segmentId);
    }

    @Override
    public Uni<ProfileSegmentsResponse> getProfileSegments(ProfileSegmentsRequest request) {
        ProfileSegmentsResponse.Builder response = ProfileSegmentsResponse.newBuilder();
        memberships.getOrDefault(request.getWorkspace() + "/" + request.getProfileId(), Set.of())
                .forEach(segment -> response.addSegments(ProfileSegment.newBuilder().setSegmentId(segment)));
        return Uni.createFrom().item(response.build());
    }
}
