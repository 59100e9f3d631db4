package io.kairos.consent.stream;

import io.kairos.api.events.PrivacyRequest;
import io.kairos.consent.store.PrivacyRequests;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Publishes recorded privacy requests on {@code kairos.privacy.requests} (key "<workspace>:<profileId>")
 * for every service to carry out. A request is stored first and marked published only once Kafka
 * acknowledged it; one whose publish failed (broker down, crash in between) is published again by
 * the relay, so consumers must and do treat a request id they have seen as done again.
 */
@ApplicationScoped
public class PrivacyRequestFanOut {

    private static final Logger LOG = Logger.getLogger(PrivacyRequestFanOut.class);

    @Inject
    PrivacyRequests requests;

    @Inject
    @Channel("privacy-requests-out")
    MutinyEmitter<byte[]> emitter;

    @Inject
    Clock clock;

    @ConfigProperty(name = "mp.messaging.outgoing.privacy-requests-out.topic")
    String topic;

    @ConfigProperty(name = "kairos.privacy.relay-after")
    Duration relayAfter;

    public Uni<Void> publish(io.kairos.consent.domain.PrivacyRequest request) {
        PrivacyRequest message = PrivacyRequest.newBuilder()
                .setWorkspace(request.subject().workspace())
                .setRequestId(request.id().toString())
                .setProfileId(request.subject().profileId())
                .setKind(PrivacyRequest.Kind.valueOf(request.kind().name().toUpperCase(Locale.ROOT)))
                .setRequestedBy(request.requestedBy())
                .setRequestedAtMs(request.requestedAt().toEpochMilli())
                .build();
        String key = request.subject().workspace() + ":" + request.subject().profileId();
        return emitter.sendMessage(KafkaRecord.of(key, message.toByteArray()))
                .chain(() -> requests.markPublished(request, topic, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    @Scheduled(every = "${kairos.privacy.relay-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return requests.unpublished(clock.instant().minus(relayAfter), 100)
                .onItem().transformToMulti(pending -> Multi.createFrom().iterable(pending))
                .onItem().transformToUniAndConcatenate(request -> publish(request)
                        .onFailure().invoke(e -> LOG.warnf(e, "privacy request %s still unpublished", request.id()))
                        .onFailure().recoverWithNull())
                .collect().last()
                .onFailure().invoke(e -> LOG.warnf(e, "privacy request relay failed; retrying on the next run"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
