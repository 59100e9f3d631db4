package io.kairos.profile.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.PrivacyRequest;
import io.kairos.profile.store.ErasureRequest;
import io.kairos.profile.store.ProfileEraser;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * kairos.privacy.requests -> erasure. DELETE erases the profile, SUPPRESS also refuses the
 * person's future events; the request id is the erasure's idempotency key, so a redelivered
 * request answers the first erasure. EXPORT is not profile-service's to answer and is skipped.
 * The offset is committed after the erasure committed; a request that can never be carried
 * out goes to kairos.privacy.requests.dlq with the reason.
 */
@ApplicationScoped
public class PrivacyRequestConsumer {

    private static final Logger LOG = Logger.getLogger(PrivacyRequestConsumer.class);
    private static final int ATTEMPTS_AFTER_FIRST = 8;

    @Inject
    ProfileEraser eraser;

    @Inject
    ErasureAnnouncer announcer;

    @Incoming("privacy-requests")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        Optional<ErasureRequest> erasure;
        try {
            erasure = erasure(parse(record.value()));
        } catch (PoisonMessageException poison) {
            return Uni.createFrom().failure(poison);
        }
        if (erasure.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        ErasureRequest request = erasure.get();
        return Uni.createFrom().deferred(() -> eraser.erase(request))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(ATTEMPTS_AFTER_FIRST)
                .invoke(receipt -> receipt.ifPresentOrElse(
                        // After the commit; the tombstone keeps the announcement until Kafka has it.
                        erased -> announcer.announceSoon(erased.workspace(), erased.profileId()),
                        () -> LOG.infof("privacy request %s: no profile %s in workspace %s; nothing to erase",
                                request.requestId().orElse("?"), request.profileId(), request.workspace())))
                .replaceWithVoid();
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

    /** Empty for a request profile-service has nothing to do for. */
    private static Optional<ErasureRequest> erasure(PrivacyRequest request) {
        boolean suppress;
        switch (request.getKind()) {
            case DELETE -> suppress = false;
            case SUPPRESS -> suppress = true;
            case EXPORT -> {
                LOG.debugf("privacy request %s is an export; not profile-service's to answer", request.getRequestId());
                return Optional.empty();
            }
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
        return Optional.of(new ErasureRequest(request.getWorkspace(), profileId, suppress, request.getRequestedBy(),
                Optional.of(request.getRequestId())));
    }
}
