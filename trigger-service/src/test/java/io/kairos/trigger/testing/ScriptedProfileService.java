package io.kairos.trigger.testing;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.api.profile.Profile;
import io.kairos.api.profile.HistoryRetentions;
import io.kairos.api.profile.ListHistoryRetentionsRequest;
import io.kairos.api.profile.MutinyProfileServiceGrpc;
import io.kairos.api.profile.WorkspaceRetention;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real gRPC ProfileService served by the application under test on its test port, standing in for
 * profile-service: its history retentions (it can also be unreachable) and the profiles a dry run
 * reads. profile-service's own answers are tested there.
 */
@GrpcService
public class ScriptedProfileService extends MutinyProfileServiceGrpc.ProfileServiceImplBase {

    private final Map<String, Integer> own = new ConcurrentHashMap<>();
    private final Map<String, String> traits = new ConcurrentHashMap<>();
    private volatile int defaultDays = 730;
    private volatile boolean unavailable;

    public void set(String workspace, int days) {
        own.put(workspace, days);
    }

    /** The profile exists with these traits (a JSON object). */
    public void profile(String workspace, String profileId, String traitsJson) {
        traits.put(workspace + "/" + profileId, traitsJson);
    }

    @Override
    public Uni<Profile> getProfile(GetProfileRequest request) {
        String found = traits.get(request.getWorkspace() + "/" + request.getProfileId());
        if (found == null) {
            return Uni.createFrom().failure(Status.NOT_FOUND.withDescription("no profile " + request.getProfileId())
                    .asRuntimeException());
        }
        return Uni.createFrom().item(Profile.newBuilder().setWorkspace(request.getWorkspace())
                .setProfileId(request.getProfileId()).setTraitsJson(ByteString.copyFromUtf8(found)).build());
    }

    public void defaultDays(int days) {
        defaultDays = days;
    }

    public void unavailable(boolean down) {
        unavailable = down;
    }

    @Override
    public Uni<HistoryRetentions> listHistoryRetentions(ListHistoryRetentionsRequest request) {
        if (unavailable) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.withDescription("scripted outage").asRuntimeException());
        }
        HistoryRetentions.Builder all = HistoryRetentions.newBuilder().setDefaultDays(defaultDays);
        own.forEach((workspace, days) -> all.addWorkspaces(WorkspaceRetention.newBuilder().setWorkspace(workspace).setDays(days)));
        return Uni.createFrom().item(all.build());
    }
}
