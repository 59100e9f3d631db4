package io.kairos.profile.stream;

import io.kairos.api.events.RawEvent;
import io.kairos.profile.domain.ObservedEvent;
import io.kairos.profile.domain.IdentityRules;
import io.kairos.profile.store.ProfileRecorder;
import io.kairos.profile.store.WorkspaceIdentityRules;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * kairos.events.raw -> profile -> kairos.events.resolved. The returned Uni completes only after
 * the profile transaction committed and the resolved event was acknowledged by the broker; only
 * then is the offset committed. A failure that retrying cannot fix sends the record to
 * kairos.events.raw.dlq with the reason. An event of an erased, suppressed person is dropped and
 * counted ({@value #SUPPRESSED_EVENTS}), neither stored nor published.
 */
@ApplicationScoped
public class RawEventConsumer {

    /** Micrometer name; Prometheus shows it as kairos_profile_events_suppressed_total. */
    public static final String SUPPRESSED_EVENTS = "kairos.profile.events.suppressed";

    private static final Logger LOG = Logger.getLogger(RawEventConsumer.class);
    private static final int ATTEMPTS_AFTER_FIRST = 8;

    @Inject
    RawEventCodec codec;

    @Inject
    ProfileRecorder recorder;

    @Inject
    ResolvedEventPublisher publisher;

    @Inject
    WorkspaceIdentityRules identityRules;

    private final Counter suppressedEvents;

    @Inject
    RawEventConsumer(MeterRegistry metrics) {
        suppressedEvents = Counter.builder(SUPPRESSED_EVENTS)
                .description("Raw events dropped because they carry an identifier of an erased, suppressed person")
                .register(metrics);
    }

    @Incoming("raw-events")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        RawEvent raw;
        ObservedEvent event;
        try {
            raw = codec.parse(record.value());
            event = codec.decode(raw);
        } catch (PoisonMessageException poison) {
            return Uni.createFrom().failure(poison);
        }
        // Retrying the whole step is safe: a recorded messageId is replayed, not applied twice,
        // which also re-publishes an event whose publication failed after the commit.
        return Uni.createFrom().deferred(() -> identityRules.of(event.workspace())
                        .map(rules -> usable(event, rules.rules()))
                        .chain(rules -> recorder.record(event, rules))
                        .chain(recorded -> recorded.isPresent()
                                ? publisher.publish(recorded.get(), recorded.get().duplicate() ? codec.encode(recorded.get().event()) : raw)
                                : dropSuppressed(event)))
                .onFailure(RawEventConsumer::isRetryable)
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(ATTEMPTS_AFTER_FIRST);
    }

    private static IdentityRules usable(ObservedEvent event, IdentityRules rules) {
        if (event.identifiers(rules).isEmpty()) {
            throw new PoisonMessageException("RawEvent has no usable identifier (userId, anonymousId, email, phone, "
                    + "device id or external id; placeholder values such as 'null' or 'anonymous' do not count)");
        }
        return rules;
    }

    private Uni<Void> dropSuppressed(ObservedEvent event) {
        suppressedEvents.increment();
        // Only ids: the identifiers are exactly what the erased person asked us to forget.
        LOG.debugf("event %s of workspace %s carries a suppressed identifier; dropped", event.messageId(), event.workspace());
        return Uni.createFrom().voidItem();
    }

    /** Concurrency conflicts and infrastructure hiccups pass; data PostgreSQL rejects (class 22) never will. */
    private static boolean isRetryable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PoisonMessageException) {
                return false;
            }
            if (cause instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
                return false;
            }
        }
        return true;
    }
}
