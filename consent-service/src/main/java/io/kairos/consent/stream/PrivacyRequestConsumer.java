package io.kairos.consent.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.PrivacyRequest;
import io.kairos.consent.domain.ConsentExport;
import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.InvalidConsentInput;
import io.kairos.consent.domain.ServiceReport;
import io.kairos.consent.domain.UnknownPrivacyRequest;
import io.kairos.consent.store.ConsentFacts;
import io.kairos.consent.store.PrivacyRequests;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * consent-service's own part of a privacy request from {@code kairos.privacy.requests}: delete and
 * suppress erase the profile's ledger and location, export hands over both; the outcome is recorded
 * as consent-service's report. A redelivered request does the same again and reports the same, which
 * changes nothing. The offset is committed after the report; malformed requests are dead-lettered.
 */
@ApplicationScoped
public class PrivacyRequestConsumer {

    static final String SERVICE = "consent-service";
    private static final Logger LOG = Logger.getLogger(PrivacyRequestConsumer.class);

    private volatile boolean stopping;

    @Inject
    ConsentFacts facts;

    @Inject
    PrivacyRequests requests;

    @Inject
    Clock clock;

    @Incoming("privacy-requests")
    public Uni<Void> consume(byte[] payload) {
        PrivacyRequest request;
        try {
            request = parse(payload);
        } catch (PoisonMessage poison) {
            LOG.warnf("dead-lettering a privacy request: %s", poison.getMessage());
            return Uni.createFrom().failure(poison);
        }
        UUID requestId = UUID.fromString(request.getRequestId());
        ConsentSubject subject = new ConsentSubject(request.getWorkspace(), request.getProfileId());
        Uni<Outcome> work = switch (request.getKind()) {
            case DELETE, SUPPRESS -> Uni.createFrom().deferred(() -> facts.erase(subject.workspace(), subject.profileId()))
                    .replaceWith(new Outcome("consent ledger and location erased", new byte[0]));
            case EXPORT -> Uni.createFrom().deferred(() -> {
                        facts.forget(subject.workspace(), subject.profileId());
                        return facts.facts(subject);
                    })
                    .map(known -> new Outcome("consent ledger and location exported",
                            ConsentExport.of(known).toString().getBytes(StandardCharsets.UTF_8)));
            default -> Uni.createFrom().failure(new PoisonMessage("PrivacyRequest kind must be DELETE, SUPPRESS or EXPORT, got "
                    + request.getKindValue()));
        };
        return work
                .chain(outcome -> requests.report(subject.workspace(), requestId, stored -> ServiceReport.parse(stored.kind(),
                        stored.services(), SERVICE, "done", outcome.detail(), outcome.export(),
                        clock.instant().truncatedTo(ChronoUnit.MILLIS))))
                .replaceWithVoid()
                .onFailure(UnknownPrivacyRequest.class).recoverWithUni(unknown -> {
                    LOG.warnf("privacy request %s was not recorded by consent-service; nothing to report", requestId);
                    return Uni.createFrom().voidItem();
                })
                .onFailure(InvalidConsentInput.class).recoverWithUni(notAwaited -> {
                    LOG.infof("privacy request %s does not wait for consent-service: %s", requestId, notAwaited.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .onFailure(e -> !(e instanceof PoisonMessage) && !stopping)
                .invoke(e -> LOG.warnf(e, "privacy request %s failed", requestId))
                .onFailure(e -> !(e instanceof PoisonMessage) && !stopping)
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(8)
                // Neither acknowledged nor dead-lettered: the offset stays uncommitted and the request is redelivered.
                .onFailure(e -> stopping).recoverWithUni(() -> Uni.createFrom().nothing())
                // Retries spent: the request shows that it failed here; asking for it again retries it.
                .onFailure(e -> !(e instanceof PoisonMessage)).recoverWithUni(e -> requests.report(subject.workspace(), requestId,
                                stored -> ServiceReport.parse(stored.kind(), stored.services(), SERVICE, "failed",
                                        abbreviated(String.valueOf(e.getMessage())), new byte[0], clock.instant().truncatedTo(ChronoUnit.MILLIS)))
                        .replaceWithVoid());
    }

    private record Outcome(String detail, byte[] export) {
    }

    /** A report's detail is at most 256 characters. */
    private static String abbreviated(String detail) {
        return detail.length() > 256 ? detail.substring(0, 256) : detail;
    }

    private static PrivacyRequest parse(byte[] payload) {
        if (payload == null) {
            throw new PoisonMessage("message has no value");
        }
        PrivacyRequest request;
        try {
            request = PrivacyRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessage("not a kairos.events.PrivacyRequest: " + e.getMessage(), e);
        }
        if (request.getWorkspace().isBlank() || request.getProfileId().isBlank()) {
            throw new PoisonMessage("PrivacyRequest without workspace or profile_id");
        }
        try {
            UUID.fromString(request.getRequestId());
        } catch (IllegalArgumentException notUuid) {
            throw new PoisonMessage("PrivacyRequest request_id '" + request.getRequestId() + "' is not a UUID");
        }
        return request;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
