package io.kairos.trigger.stream;

import io.kairos.trigger.config.TriggerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * How the processing of a consumed message ends when it fails. A {@link PoisonMessage} goes to
 * the dead-letter topic at once. Any other failure (consent-service, PostgreSQL) is
 * retried with exponential backoff, and only then dead-lettered; replaying it later is safe since
 * firings are idempotent. While the application shuts down, a failing message is left
 * unacknowledged instead, so its offset is not committed and it is redelivered after the restart.
 */
@Singleton
public class MessageRetry {

    private static final Logger LOG = Logger.getLogger(MessageRetry.class);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private volatile boolean stopping;

    @Inject
    public MessageRetry(TriggerConfig config) {
        this(config.retry().maxAttempts(), config.retry().initialBackoff(), config.retry().maxBackoff());
    }

    MessageRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** @param processing re-subscribed on each retry, so it must redo the whole work (a deferred Uni) */
    public Uni<Void> guard(String topic, Uni<Void> processing) {
        return processing
                .onFailure(this::retryable).invoke(e -> LOG.warnf("processing a message of %s failed: %s", topic,
                        e.getMessage()))
                .onFailure(this::retryable).retry().withBackOff(initialBackoff, maxBackoff).atMost(maxAttempts - 1L)
                .onFailure(e -> stopping && !(e instanceof PoisonMessage)).recoverWithUni(() -> {
                    LOG.infof("shutting down: a message of %s stays unacknowledged, to be redelivered", topic);
                    return Uni.createFrom().nothing();
                })
                .onFailure().invoke(e -> LOG.errorf(e, "a message of %s goes to the dead-letter topic: %s", topic,
                        e.getMessage()));
    }

    private boolean retryable(Throwable failure) {
        return !(failure instanceof PoisonMessage) && !stopping;
    }
}
