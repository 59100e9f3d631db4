package io.kairos.trigger.delivery;

import io.kairos.trigger.config.TriggerConfig;
import io.kairos.trigger.store.PendingFirings;
import io.kairos.trigger.store.TriggerStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The timers: every {@code poll-every}, claims the waiting firings that are due (a batch at a time,
 * while whole batches come back) and fires them, {@code concurrency} at once. Instances run this
 * side by side; the claim's SKIP LOCKED and lease keep any firing from being taken twice.
 */
@ApplicationScoped
public class DueFirings {

    private static final Logger LOG = Logger.getLogger(DueFirings.class);

    private final PendingFirings pending;
    private final TriggerStore triggers;
    private final FiringDispatcher dispatcher;
    private final TriggerConfig.Timers config;
    private final Clock clock;

    public DueFirings(PendingFirings pending, TriggerStore triggers, FiringDispatcher dispatcher, TriggerConfig config,
                      Clock clock) {
        this.pending = pending;
        this.triggers = triggers;
        this.dispatcher = dispatcher;
        this.config = config.timers();
        this.clock = clock;
    }

    @Scheduled(identity = "due-firings", every = "${kairos.trigger.timers.poll-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> poll() {
        return fireDue()
                .onFailure().invoke(failure -> LOG.warnf("claiming due firings failed; the next poll retries: %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Fires what is due now, batch after batch. @return how many firings were claimed */
    public Uni<Integer> fireDue() {
        return fireBatch().chain(claimed -> claimed < config.batchSize()
                ? Uni.createFrom().item(claimed)
                : fireDue().map(more -> claimed + more));
    }

    private Uni<Integer> fireBatch() {
        Instant now = clock.instant();
        return pending.claimDue(now, config.batchSize(), now.plus(config.lease()))
                .chain(claimed -> claimed.isEmpty()
                        ? Uni.createFrom().item(0)
                        : triggers.states(claimed.stream().map(c -> c.pending().firing().triggerId()).distinct().toList())
                        .chain(states -> fireAll(claimed, states))
                        .replaceWith(claimed.size()));
    }

    private Uni<Void> fireAll(List<PendingFirings.Claimed> claimed, Map<UUID, TriggerStore.TriggerState> states) {
        return Multi.createFrom().iterable(claimed)
                .onItem().transformToUni(due -> dispatcher.fireDue(due, states.get(due.pending().firing().triggerId()))
                        // Left claimed: once the lease ends it is claimed and tried again.
                        .onFailure().invoke(failure -> LOG.warnf("due firing %s not done, tried again after its lease: %s",
                                due.pending().firing().firingId(), failure.getMessage()))
                        .onFailure().recoverWithNull())
                .merge(config.concurrency())
                .collect().last()
                .replaceWithVoid();
    }
}
