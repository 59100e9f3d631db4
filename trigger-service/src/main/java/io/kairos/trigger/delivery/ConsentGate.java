package io.kairos.trigger.delivery;

import io.grpc.Status;
import io.kairos.api.consent.CheckRequest;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.MutinyConsentServiceGrpc;
import io.kairos.trigger.config.TriggerConfig;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.ConsentDecision;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Asks consent-service whether a firing may go out. A Check refused for what it asks
 * (INVALID_ARGUMENT and the like) becomes a {@link ConsentDecision.Rejected}, since asking again
 * would only be refused again. Otherwise it fails closed: anything but an answer with a verdict fails with
 * {@link ConsentUnavailable} and never turns into a send; the message is then retried as a whole
 * (see {@code MessageRetry}).
 */
@ApplicationScoped
public class ConsentGate {

    private static final Logger LOG = Logger.getLogger(ConsentGate.class);

    /** The statuses by which consent-service refuses the question rather than fails to answer it. */
    private static final Set<Status.Code> REJECTIONS = EnumSet.of(Status.Code.INVALID_ARGUMENT,
            Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND, Status.Code.PERMISSION_DENIED);

    private final MutinyConsentServiceGrpc.MutinyConsentServiceStub consent;
    private final TriggerConfig.Consent config;

    public ConsentGate(@GrpcClient("consent") MutinyConsentServiceGrpc.MutinyConsentServiceStub consent,
                       TriggerConfig config) {
        this.consent = consent;
        this.config = config.consent();
    }

    /**
     * @param eventTimezone the time zone of the event the firing answers ({@code context.timezone}),
     *                      for a profile without a {@code $timezone} trait; empty when none
     * @param quietHours    false for a trigger that does not respect quiet hours: consent alone decides
     */
    public Uni<ConsentDecision> check(String workspace, String profileId, String purpose, Channel channel,
                                      Instant at, String eventTimezone, boolean quietHours) {
        CheckRequest request = CheckRequest.newBuilder()
                .setWorkspace(workspace)
                .setProfileId(profileId)
                .setPurpose(purpose)
                .setChannel(channel.consentChannel())
                .setAtMs(at.toEpochMilli())
                .setEventTimezone(eventTimezone)
                .setIgnoreQuietHours(!quietHours)
                .build();
        // The deadline is per call: a stub-wide one would be counted from the stub's creation.
        return Uni.createFrom().deferred(() -> consent
                        .withDeadlineAfter(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .check(request))
                .map(ConsentGate::decision)
                .onFailure(ConsentGate::rejection).recoverWithItem(e -> {
                    LOG.warnf("consent-service rejected the Check for %s/%s (%s/%s): %s", workspace, profileId,
                            purpose, channel.consentChannel(), e.getMessage());
                    return new ConsentDecision.Rejected(problem(e));
                })
                .onFailure().transform(e -> new ConsentUnavailable("consent-service gave no decision for "
                        + workspace + "/" + profileId + ": " + e.getMessage(), e));
    }

    static boolean rejection(Throwable failure) {
        return REJECTIONS.contains(Status.fromThrowable(failure).getCode());
    }

    /** The status description, which says what was wrong with the Check; the code where there is none. */
    static String problem(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return status.getDescription() == null ? status.getCode().name() : status.getDescription();
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
