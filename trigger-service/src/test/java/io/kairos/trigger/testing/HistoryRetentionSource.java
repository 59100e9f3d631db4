package io.kairos.trigger.testing;

import io.grpc.Status;
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
 * profile-service's history retentions; it can also be unreachable. profile-service's own answer is
 * tested there.
 */
@GrpcService
public class HistoryRetentionSource extends MutinyProfileServiceGrpc.ProfileServiceImplBase {

    private final Map<String, Integer> own = new ConcurrentHashMap<>();
    private volatile int defaultDays = 730;
    private volatile boolean unavailable;

    public void set(String workspace, int days) {
        own.put(workspace, days);
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
