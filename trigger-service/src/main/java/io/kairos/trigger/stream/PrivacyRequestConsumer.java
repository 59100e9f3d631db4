package io.kairos.trigger.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.PrivacyRequest;
import io.kairos.trigger.store.DeliveryLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;

/**
 * trigger-service's part of a privacy request from {@code kairos.privacy.requests}: delete and suppress
 * take the profile's deliveries out of the log (as a ProfileDeleted does), export hands them over. The
 * outcome is reported to consent-service, and only then is the offset committed; a redelivered request
 * finds nothing left and reports that. Malformed requests are dead-lettered with the reason.
 */
@ApplicationScoped
public class PrivacyRequestConsumer {

    private final DeliveryLog deliveries;
    private final PrivacyReports reports;
    private final MessageRetry retry;

    public PrivacyRequestConsumer(DeliveryLog deliveries, PrivacyReports reports, MessageRetry retry) {
        this.deliveries = deliveries;
        this.reports = reports;
        this.retry = retry;
    }

    @Incoming("privacy-requests")
    public Uni<Void> consume(byte[] payload) {
        PrivacyRequest request;
        try {
            request = parse(payload);
        } catch (PoisonMessage poison) {
            return retry.guard("kairos.privacy.requests", Uni.createFrom().failure(poison));
        }
        String workspace = request.getWorkspace();
        String profileId = request.getProfileId();
        Uni<Outcome> work = switch (request.getKind()) {
            case DELETE, SUPPRESS -> Uni.createFrom().deferred(() -> deliveries.erase(workspace, profileId))
                    .map(erased -> new Outcome(erased + " deliveries erased", new byte[0]));
            case EXPORT -> Uni.createFrom().deferred(() -> deliveries.export(workspace, profileId))
                    .map(export -> new Outcome("deliveries exported", export.getBytes(StandardCharsets.UTF_8)));
            default -> Uni.createFrom().failure(new PoisonMessage(
                    "PrivacyRequest kind must be DELETE, SUPPRESS or EXPORT, got " + request.getKindValue()));
        };
        return retry.guard("kairos.privacy.requests",
                        work.chain(outcome -> reports.done(workspace, request.getRequestId(), outcome.detail(), outcome.export())))
                // Retries spent: consent-service learns that it failed here instead of waiting for ever.
                .onFailure(e -> !(e instanceof PoisonMessage) && !reports.stopping())
                .recoverWithUni(e -> reports.failed(workspace, request.getRequestId(), e));
    }

    private record Outcome(String detail, byte[] export) {
    }

    private static PrivacyRequest parse(byte[] payload) {
        PrivacyRequest request;
        try {
            request = PrivacyRequest.parseFrom(payload == null ? new byte[0] : payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessage("not a kairos.events.PrivacyRequest: " + e.getMessage(), e);
        }
        if (request.getWorkspace().isBlank() || request.getProfileId().isBlank() || request.getRequestId().isBlank()) {
            throw new PoisonMessage("PrivacyRequest without workspace, profile_id or request_id");
        }
        return request;
    }
}
