package io.kairos.segment.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.PrivacyRequest;
import io.kairos.segment.store.MembershipDirectory;
import io.kairos.segment.store.MembershipLedger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * segment-service's part of a privacy request from {@code kairos.privacy.requests}: delete and suppress
 * make the profile exit every segment and erase its state (as a ProfileDeleted does), export hands over
 * its traits, memberships and kept events. The outcome is reported to consent-service, and only then is
 * the offset committed; a redelivered request finds nothing left to erase and reports the same again.
 * Malformed requests are dead-lettered with the reason.
 */
@ApplicationScoped
public class PrivacyRequestConsumer {

    private static final Logger LOG = Logger.getLogger(PrivacyRequestConsumer.class);

    @Inject
    MembershipLedger ledger;

    @Inject
    MembershipDirectory directory;

    @Inject
    MembershipPublisher publisher;

    @Inject
    PrivacyReports reports;

    @Incoming("privacy-requests")
    public Uni<Void> consume(byte[] payload) {
        PrivacyRequest request;
        try {
            request = parse(payload);
        } catch (PoisonMessageException poison) {
            LOG.warnf("dead-lettering a privacy request: %s", poison.getMessage());
            return Uni.createFrom().failure(poison);
        }
        String workspace = request.getWorkspace();
        String profileId = request.getProfileId();
        Uni<Outcome> work = switch (request.getKind()) {
            case DELETE, SUPPRESS -> Uni.createFrom().deferred(() -> ledger.erase(workspace, profileId, MembershipLedger.CAUSE_PROFILE_DELETED))
                    .call(() -> publisher.publishPending(workspace, profileId))
                    .map(erased -> new Outcome(erased.stateRemoved() || erased.segmentsExited() > 0
                            ? "exited " + erased.segmentsExited() + " segments; state and " + erased.eventsRemoved() + " kept events erased"
                            : "nothing held on the profile", new byte[0]));
            case EXPORT -> Uni.createFrom().deferred(() -> directory.export(workspace, profileId))
                    .map(export -> new Outcome("traits, memberships and kept events exported",
                            export.getBytes(StandardCharsets.UTF_8)));
            default -> Uni.createFrom().failure(new PoisonMessageException(
                    "PrivacyRequest kind must be DELETE, SUPPRESS or EXPORT, got " + request.getKindValue()));
        };
        return work
                .onFailure(e -> !(e instanceof PoisonMessageException) && !reports.stopping()).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(8)
                .chain(outcome -> reports.done(workspace, request.getRequestId(), outcome.detail(), outcome.export()))
                // Shutting down: neither acknowledged nor dead-lettered, so the request is redelivered after the restart.
                .onFailure(e -> reports.stopping()).recoverWithUni(() -> Uni.createFrom().nothing())
                // Retries spent: consent-service learns that it failed here instead of waiting for ever.
                .onFailure(e -> !(e instanceof PoisonMessageException)).recoverWithUni(e -> {
                    LOG.errorf(e, "privacy request %s failed in segment-service", request.getRequestId());
                    return reports.failed(workspace, request.getRequestId(), e);
                });
    }

    private record Outcome(String detail, byte[] export) {
    }

    private static PrivacyRequest parse(byte[] payload) {
        if (payload == null) {
            throw new PoisonMessageException("message has no value");
        }
        PrivacyRequest request;
        try {
            request = PrivacyRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessageException("not a kairos.events.PrivacyRequest: " + e.getMessage(), e);
        }
        if (request.getWorkspace().isBlank() || request.getProfileId().isBlank() || request.getRequestId().isBlank()) {
            throw new PoisonMessageException("PrivacyRequest without workspace, profile_id or request_id");
        }
        return request;
    }
}
