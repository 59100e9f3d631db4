package io.kairos.trigger.domain;

import java.time.Duration;

/** How often and how patiently a provider webhook is retried before a firing is logged as failed. */
public record WebhookRetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public WebhookRetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public static boolean accepted(int status) {
        return status >= 200 && status < 300;
    }

    /** Server trouble and throttling may pass; other client errors will not, so they are not retried. */
    public static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /** Wait before attempt {@code attempt} (2, 3, ...): doubling from initialBackoff, capped at maxBackoff. */
    public Duration backoffBefore(int attempt) {
        Duration wait = initialBackoff.multipliedBy(1L << Math.min(attempt - 2, 20));
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /**
     * The same with jitter ({@code random} in [0, 1)): between half and all of it, so that firings
     * that failed together against one provider do not all come back at the same instant.
     */
    public Duration backoffBefore(int attempt, double random) {
        Duration wait = backoffBefore(attempt);
        return Duration.ofNanos(wait.toNanos() / 2 + (long) (wait.toNanos() / 2 * random));
    }
}
