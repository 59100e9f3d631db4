package io.kairos.trigger.delivery;

import io.kairos.trigger.config.TriggerConfig;
import io.kairos.trigger.store.DeliveryLog;
import io.kairos.trigger.store.PendingFirings;
import io.kairos.trigger.store.TriggerStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The timers: every {@code poll-every}, claims the waiting firings that are due (a batch at a time,
 * while whole batches come back) and fires them, {@code concurrency} at once. Instances run this
 * side by side; the claim's SKIP LOCKED and lease keep any firing from being taken twice.
 */
@ApplicationScoped
public class DueFirings {

    private static final Logger LOG = Logger.getLogger(DueFirings.class);

    private final PendingFirings pending;
    private final DeliveryLog deliveries;
    private final TriggerStore triggers;
    private final FiringDispatcher dispatcher;
    private final TriggerConfig.Timers config;
    private final Clock clock;
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile Vertx vertx;
    private volatile long timer = -1;

    public DueFirings(PendingFirings pending, DeliveryLog deliveries, TriggerStore triggers, FiringDispatcher dispatcher,
                      TriggerConfig config, Clock clock) {
        this.pending = pending;
        this.deliveries = deliveries;
        this.triggers = triggers;
        this.dispatcher = dispatcher;
        this.config = config.timers();
        this.clock = clock;
    }

    /**
     * Polls on a Vert.x timer: the scheduler's {@code every} does not go below a second, and a firing
     * should leave within a second of its due time. A poll still running when the next is due is
     * not doubled.
     */
    void start(@Observes StartupEvent started, Vertx vertx) {
        this.vertx = vertx;
        timer = vertx.setPeriodic(config.pollEvery().toMillis(), tick -> {
            if (!polling.compareAndSet(false, true)) {
                return;
            }
            fireDue().onTermination().invoke(() -> polling.set(false)).subscribe().with(
                    claimed -> { },
                    failure -> LOG.warnf("claiming due firings failed; the next poll retries: %s", failure.getMessage()));
        });
    }

    /** No more polls once the application stops: the pool they need is closing. */
    void stop(@Observes ShutdownEvent stopping) {
        if (vertx != null && timer >= 0) {
            vertx.cancelTimer(timer);
        }
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

    /**
     * Fires a claimed batch: one query finds those that went out already (a claimer that died after
     * the send), the others go out, and one statement releases all that are done.
     */
    private Uni<Void> fireAll(List<PendingFirings.Claimed> claimed, Map<UUID, TriggerStore.TriggerState> states) {
        return deliveries.wentOut(claimed.stream().map(c -> c.pending().firing().firingId()).toList())
                .chain(wentOut -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUni(due -> wentOut.contains(due.pending().firing().firingId())
                                ? Uni.createFrom().item(due)
                                : dispatcher.fireDue(due, states.get(due.pending().firing().triggerId())).replaceWith(due)
                                // Left claimed: once the lease ends it is claimed and tried again.
                                .onFailure().invoke(failure -> LOG.warnf("due firing %s not done, tried again after its lease: %s",
                                        due.pending().firing().firingId(), failure.getMessage()))
                                .onFailure().recoverWithNull())
                        .merge(config.concurrency())
                        .collect().asList())
                .chain(done -> pending.release(done));
    }
}
