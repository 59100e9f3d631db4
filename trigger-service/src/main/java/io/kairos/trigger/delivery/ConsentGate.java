package io.kairos.trigger.delivery;

import io.kairos.api.consent.CheckRequest;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.MutinyConsentServiceGrpc;
import io.kairos.trigger.config.TriggerConfig;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.ConsentDecision;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Asks consent-service whether a firing may go out. Fails closed: anything but an answer with a
 * verdict fails with {@link ConsentUnavailable} and never turns into a send; the message is then
 * retried as a whole (see {@code MessageRetry}).
 */
@ApplicationScoped
public class ConsentGate {

    private final MutinyConsentServiceGrpc.MutinyConsentServiceStub consent;
    private final TriggerConfig.Consent config;

    public ConsentGate(@GrpcClient("consent") MutinyConsentServiceGrpc.MutinyConsentServiceStub consent,
                       TriggerConfig config) {
        this.consent = consent;
        this.config = config.consent();
    }

    public Uni<ConsentDecision> check(String workspace, String profileId, String purpose, Channel channel,
                                      Instant at) {
        CheckRequest request = CheckRequest.newBuilder()
                .setWorkspace(workspace)
                .setProfileId(profileId)
                .setPurpose(purpose)
                .setChannel(channel.wireName())
                .setAtMs(at.toEpochMilli())
                .build();
        // The deadline is per call: a stub-wide one would be counted from the stub's creation.
        return Uni.createFrom().deferred(() -> consent
                        .withDeadlineAfter(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .check(request))
                .map(ConsentGate::decision)
                .onFailure().transform(e -> new ConsentUnavailable("consent-service gave no decision for "
                        + workspace + "/" + profileId + ": " + e.getMessage(), e));
    }

    private static ConsentDecision decision(Decision decision) {
        return switch (decision.getVerdict()) {
            case ALLOW -> new ConsentDecision.Allow();
            case DENY -> new ConsentDecision.Deny(decision.getReason());
            case DEFER ->
                    new ConsentDecision.Defer(Instant.ofEpochMilli(decision.getDeferUntilMs()), decision.getReason());
            case VERDICT_UNSPECIFIED, UNRECOGNIZED ->
                    throw new IllegalStateException("consent-service answered without a verdict");
        };
    }
}
