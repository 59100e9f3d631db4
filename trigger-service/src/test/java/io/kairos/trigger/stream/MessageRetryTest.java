package io.kairos.trigger.stream;

import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageRetryTest {

    private final MessageRetry retry = new MessageRetry(3, Duration.ofMillis(1), Duration.ofMillis(5));
    private final AtomicInteger attempts = new AtomicInteger();

    private Uni<Void> failingTimes(int failures, RuntimeException failure) {
        return Uni.createFrom().deferred(() -> attempts.incrementAndGet() <= failures
                ? Uni.createFrom().failure(failure)
                : Uni.createFrom().voidItem());
    }

    @Test
    void poisonIsDeadLetteredWithoutRetry() {
        Uni<Void> guarded = retry.guard("t", failingTimes(1, new PoisonMessage("garbage")));

        assertThatThrownBy(() -> guarded.await().atMost(Duration.ofSeconds(5))).isInstanceOf(PoisonMessage.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void transientFailuresAreRetried() {
        retry.guard("t", failingTimes(2, new IllegalStateException("consent-service down")))
                .await().atMost(Duration.ofSeconds(5));

        assertThat(attempts).hasValue(3);
    }

    @Test
    void persistentFailuresAreDeadLetteredAfterTheLastAttempt() {
        Uni<Void> guarded = retry.guard("t", failingTimes(10, new IllegalStateException("still down")));

        assertThatThrownBy(() -> guarded.await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessage("still down");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void whileShuttingDownAFailingMessageIsNeitherAcknowledgedNorDeadLettered() {
        retry.onShutdown(null);

        Uni<Void> guarded = retry.guard("t", failingTimes(10, new IllegalStateException("client is closed")));

        assertThatThrownBy(() -> guarded.await().atMost(Duration.ofMillis(300))).isInstanceOf(TimeoutException.class);
        assertThat(attempts).hasValue(1);
    }
}
