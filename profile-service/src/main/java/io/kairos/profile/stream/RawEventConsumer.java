package io.kairos.profile.stream;

import io.kairos.api.events.RawEvent;
import io.kairos.profile.domain.IdentityRules;
import io.kairos.profile.domain.ObservedEvent;
import io.kairos.profile.store.EventBatchRecorder;
import io.kairos.profile.store.RecordedEvent;
import io.kairos.profile.store.WorkspaceIdentityRules;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * kairos.events.raw -> profiles -> kairos.events.resolved, a polled batch at a time. The returned
 * Uni completes only after the batch's profile changes committed and its resolved events were
 * acknowledged by the broker; only then are the offsets committed. A record that can never be
 * recorded goes to kairos.events.raw.dlq with the reason, and the rest of its batch goes on. An
 * event of an erased, suppressed person is dropped and counted ({@value #SUPPRESSED_EVENTS}),
 * neither stored nor published.
 */
@ApplicationScoped
public class RawEventConsumer {

    /** Micrometer name; Prometheus shows it as kairos_profile_events_suppressed_total. */
    public static final String SUPPRESSED_EVENTS = "kairos.profile.events.suppressed";

    private static final Logger LOG = Logger.getLogger(RawEventConsumer.class);

    @Inject
    RawEventCodec codec;

    @Inject
    EventBatchRecorder recorder;

    @Inject
    ResolvedEventPublisher publisher;

    @Inject
    RawDeadLetters deadLetters;

    @Inject
    WorkspaceIdentityRules identityRules;

    private final Counter suppressedEvents;

    @Inject
    RawEventConsumer(MeterRegistry metrics) {
        suppressedEvents = Counter.builder(SUPPRESSED_EVENTS)
                .description("Raw events dropped because they carry an identifier of an erased, suppressed person")
                .register(metrics);
    }

    /** A raw record read as an event. */
    record Pending(ConsumerRecord<String, byte[]> record, RawEvent raw, ObservedEvent event) {
    }

    @Incoming("raw-events")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        List<Pending> decoded = new ArrayList<>(records.count());
        List<Uni<Void>> poisoned = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                RawEvent raw = codec.parse(record.value());
                decoded.add(new Pending(record, raw, codec.decode(raw)));
            } catch (PoisonMessageException poison) {
                poisoned.add(deadLetters.send(record, poison));
            }
        }
        return rulesOf(decoded).chain(rules -> {
            List<Pending> usable = new ArrayList<>(decoded.size());
            for (Pending pending : decoded) {
                if (pending.event().identifiers(rules.get(pending.event().workspace())).isEmpty()) {
                    poisoned.add(deadLetters.send(pending.record(), new PoisonMessageException(
                            "RawEvent has no usable identifier (userId, anonymousId, email, phone, device id or external id; "
                                    + "placeholder values such as 'null' or 'anonymous' do not count)")));
                } else {
                    usable.add(pending);
                }
            }
            Uni<Void> deadLettered = poisoned.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.join().all(poisoned).andFailFast().replaceWithVoid();
            return deadLettered.chain(() -> recordTogether(usable, rules));
        });
    }

    private Uni<Map<String, IdentityRules>> rulesOf(List<Pending> pending) {
        List<String> workspaces = pending.stream().map(p -> p.event().workspace()).distinct().toList();
        Map<String, IdentityRules> rules = new HashMap<>();
        return Multi.createFrom().iterable(workspaces)
                .onItem().transformToUniAndConcatenate(workspace -> identityRules.of(workspace)
                        .invoke(versioned -> rules.put(workspace, versioned.rules())))
                .collect().last()
                .replaceWith(rules);
    }

    /** The whole batch in a few transactions; should that fail for good, each event alone, so that only the culprit is dead-lettered. */
    private Uni<Void> recordTogether(List<Pending> batch, Map<String, IdentityRules> rules) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return record(batch, rules).onFailure().recoverWithUni(failure -> {
            LOG.warnf(failure, "a batch of %d raw events failed; recording them one by one", batch.size());
            return Multi.createFrom().iterable(batch)
                    .onItem().transformToUniAndConcatenate(pending -> record(List.of(pending), rules)
                            .onFailure().recoverWithUni(alone -> deadLetters.send(pending.record(), alone)))
                    .collect().last()
                    .replaceWithVoid();
        });
    }

    private Uni<Void> record(List<Pending> batch, Map<String, IdentityRules> rules) {
        long started = System.nanoTime();
        return recorder.record(batch.stream().map(Pending::event).toList(), rules::get).chain(results -> {
            long stored = System.nanoTime();
            List<ResolvedEventPublisher.Announcement> announcements = new ArrayList<>(results.size());
            for (int i = 0; i < results.size(); i++) {
                Optional<RecordedEvent> recorded = results.get(i);
                if (recorded.isEmpty()) {
                    dropSuppressed(batch.get(i).event());
                } else {
                    // A replayed duplicate is announced as it was recorded, not as resent.
                    RawEvent raw = recorded.get().duplicate() ? codec.encode(recorded.get().event()) : batch.get(i).raw();
                    announcements.add(new ResolvedEventPublisher.Announcement(recorded.get(), raw));
                }
            }
            return publisher.publishAll(announcements).invoke(() -> LOG.debugf(
                    "batch of %d events: recorded in %d ms, announced in %d ms", batch.size(),
                    (stored - started) / 1_000_000, (System.nanoTime() - stored) / 1_000_000));
        });
    }

    private void dropSuppressed(ObservedEvent event) {
        suppressedEvents.increment();
        // Only ids: the identifiers are exactly what the erased person asked us to forget.
        LOG.debugf("event %s of workspace %s carries a suppressed identifier; dropped", event.messageId(), event.workspace());
    }
}
