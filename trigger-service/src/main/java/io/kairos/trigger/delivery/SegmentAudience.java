package io.kairos.trigger.delivery;

import io.kairos.api.segment.MutinySegmentServiceGrpc;
import io.kairos.api.segment.ProfileSegmentsRequest;
import io.kairos.trigger.config.TriggerConfig;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

/**
 * A trigger's audience, asked of segment-service when the firing goes out: is the profile a member
 * of the segment now? segment-service unreachable fails the firing, which is tried again later;
 * nothing is sent to someone who may be outside the audience.
 */
@ApplicationScoped
public class SegmentAudience {

    private final MutinySegmentServiceGrpc.MutinySegmentServiceStub segments;
    private final TriggerConfig.Audience config;

    public SegmentAudience(@GrpcClient("segments") MutinySegmentServiceGrpc.MutinySegmentServiceStub segments,
                           TriggerConfig config) {
        this.segments = segments;
        this.config = config.audience();
    }

    public Uni<Boolean> isMember(String workspace, String profileId, String segmentId) {
        return Uni.createFrom().deferred(() -> segments.withDeadlineAfter(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .getProfileSegments(ProfileSegmentsRequest.newBuilder().setWorkspace(workspace).setProfileId(profileId).build()))
                .map(memberships -> memberships.getSegmentsList().stream().anyMatch(s -> s.getSegmentId().equals(segmentId)));
    }
}
