package io.kairos.gateway.api;

import io.grpc.stub.AbstractStub;
import io.kairos.api.consent.MutinyConsentServiceGrpc.MutinyConsentServiceStub;
import io.kairos.api.profile.MutinyProfileServiceGrpc.MutinyProfileServiceStub;
import io.kairos.api.segment.MutinySegmentServiceGrpc.MutinySegmentServiceStub;
import io.kairos.api.trigger.MutinyTriggerServiceGrpc.MutinyTriggerServiceStub;
import io.kairos.gateway.config.GatewayConfig;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The other Kairos services, as the admin API calls them: every call has a deadline, and a
 * failed call becomes the problem the client gets.
 */
@ApplicationScoped
public class KairosServices {

    @GrpcClient("profile")
    MutinyProfileServiceStub profile;

    @GrpcClient("segment")
    MutinySegmentServiceStub segment;

    @GrpcClient("trigger")
    MutinyTriggerServiceStub trigger;

    @GrpcClient("consent")
    MutinyConsentServiceStub consent;

    @Inject
    GatewayConfig config;

    public <T> Uni<T> profiles(Function<MutinyProfileServiceStub, Uni<T>> rpc) {
        return call("profile-service", profile, rpc);
    }

    public <T> Uni<T> segments(Function<MutinySegmentServiceStub, Uni<T>> rpc) {
        return call("segment-service", segment, rpc);
    }

    public <T> Uni<T> triggers(Function<MutinyTriggerServiceStub, Uni<T>> rpc) {
        return call("trigger-service", trigger, rpc);
    }

    public <T> Uni<T> consents(Function<MutinyConsentServiceStub, Uni<T>> rpc) {
        return call("consent-service", consent, rpc);
    }

    private <S extends AbstractStub<S>, T> Uni<T> call(String service, S stub, Function<S, Uni<T>> rpc) {
        // Deferred: the deadline counts from when the call is made, not from when it was described.
        return Uni.createFrom().deferred(() -> rpc.apply(
                        stub.withDeadlineAfter(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS)))
                .onFailure().transform(failure -> GrpcProblems.from(service, failure, config.retryAfter()));
    }
}
