package io.kairos.profile.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.PrivacyRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.profile.store.ErasureRequest;
import io.kairos.profile.store.ProfileDirectory;
import io.kairos.profile.store.ProfileEraser;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * kairos.privacy.requests -> erasure or export. DELETE erases the profile, SUPPRESS also refuses the
 * person's future events; the request id is the erasure's idempotency key, so a redelivered
 * request answers the first erasure. EXPORT hands consent-service the profile, its identity graph
 * and its whole history. Either way the outcome is reported to consent-service, which tracks the
 * request; the offset is committed after the report. A request that can never be carried out goes
 * to kairos.privacy.requests.dlq with the reason.
 */
@ApplicationScoped
public class PrivacyRequestConsumer {

    private static final Logger LOG = Logger.getLogger(PrivacyRequestConsumer.class);
    private static final int ATTEMPTS_AFTER_FIRST = 8;

    @Inject
    ProfileEraser eraser;

    @Inject
    ErasureAnnouncer announcer;

    @Inject
    ProfileDirectory directory;

    @Inject
    PrivacyReports reports;

    @Inject
    ObjectMapper json;

    @Incoming("privacy-requests")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        PrivacyRequest privacyRequest;
        Optional<ErasureRequest> erasure;
        try {
            privacyRequest = parse(record.value());
            erasure = erasure(privacyRequest);
        } catch (PoisonMessageException poison) {
            return Uni.createFrom().failure(poison);
        }
        String workspace = privacyRequest.getWorkspace();
        String requestId = privacyRequest.getRequestId();
        if (erasure.isEmpty()) {
            UUID profileId = UUID.fromString(privacyRequest.getProfileId());
            return settled(workspace, requestId, Uni.createFrom().deferred(() -> directory.export(workspace, profileId))
                    .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(ATTEMPTS_AFTER_FIRST)
                    .chain(found -> reports.done(workspace, requestId,
                            found.isPresent() ? "profile, identity graph and " + found.get().events().size() + " events exported"
                                    : "no profile " + profileId + " here; nothing to export",
                            ProfileExportJson.of(json, found).toString().getBytes(StandardCharsets.UTF_8))));
        }
        ErasureRequest request = erasure.get();
        return settled(workspace, requestId, Uni.createFrom().deferred(() -> eraser.erase(request))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(ATTEMPTS_AFTER_FIRST)
                .invoke(receipt -> receipt.ifPresentOrElse(
                        // After the commit; the tombstone keeps the announcement until Kafka has it.
                        erased -> announcer.announceSoon(erased.workspace(), erased.profileId()),
                        () -> LOG.infof("privacy request %s: no profile %s in workspace %s; nothing to erase",
                                requestId, request.profileId(), request.workspace())))
                .chain(receipt -> reports.done(workspace, requestId, receipt
                        .map(erased -> "profile erased: " + erased.identifiersRemoved() + " identifiers, "
                                + erased.eventsRemoved() + " events" + (erased.suppressed() ? "; identifiers suppressed" : ""))
                        .orElse("no profile " + request.profileId() + " here; nothing to erase"), new byte[0])));
    }

    private Uni<Void> settled(String workspace, String requestId, Uni<Void> work) {
        return work
                // Shutting down: neither acknowledged nor dead-lettered, so the request is redelivered after the restart.
                .onFailure(e -> reports.stopping()).recoverWithUni(() -> Uni.createFrom().nothing())
                // Retries spent: consent-service learns that it failed here instead of waiting for ever.
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf(e, "privacy request %s failed in profile-service", requestId);
                    return reports.failed(workspace, requestId, e);
                });
    }

    private static PrivacyRequest parse(byte[] value) {
        if (value == null) {
            throw new PoisonMessageException("record has no value");
        }
        try {
            return PrivacyRequest.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessageException("not a PrivacyRequest protobuf: " + e.getMessage(), e);
        }
    }

    /** Empty for an export. */
    private static Optional<ErasureRequest> erasure(PrivacyRequest request) {
        boolean suppress;
        switch (request.getKind()) {
            case DELETE -> suppress = false;
            case SUPPRESS -> suppress = true;
            case EXPORT -> suppress = false;
            default -> throw new PoisonMessageException(
                    "PrivacyRequest kind must be DELETE, SUPPRESS or EXPORT, got " + request.getKindValue());
        }
        if (request.getWorkspace().isBlank()) {
            throw new PoisonMessageException("PrivacyRequest has no workspace");
        }
        if (request.getRequestId().isBlank()) {
            throw new PoisonMessageException("PrivacyRequest has no request_id, so it cannot be made idempotent");
        }
        if (request.getRequestedBy().isBlank()) {
            throw new PoisonMessageException("PrivacyRequest has no requested_by, which the audit trail needs");
        }
        UUID profileId;
        try {
            profileId = UUID.fromString(request.getProfileId());
        } catch (IllegalArgumentException notUuid) {
            throw new PoisonMessageException("PrivacyRequest profile_id '" + request.getProfileId() + "' is not a UUID");
        }
        if (request.getKind() == PrivacyRequest.Kind.EXPORT) {
            return Optional.empty();
        }
        return Optional.of(new ErasureRequest(request.getWorkspace(), profileId, suppress, request.getRequestedBy(),
                Optional.of(request.getRequestId())));
    }
}
