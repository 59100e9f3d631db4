package io.kairos.trigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Tunables of the delivery path ({@code kairos.trigger.*}). */
@ConfigMapping(prefix = "kairos.trigger")
public interface TriggerConfig {

    Webhook webhook();

    Consent consent();

    Audience audience();

    Retry retry();

    Actions actions();

    DeliveryRetention deliveryRetention();

    Timers timers();

    Streams streams();

    interface Webhook {
        /** Per attempt; DESIGN: a provider that does not answer in 5 s is treated as failing. */
        @WithDefault("5s")
        Duration timeout();

        @WithDefault("4")
        int maxAttempts();

        @WithDefault("0.5s")
        Duration initialBackoff();

        @WithDefault("10s")
        Duration maxBackoff();
    }

    interface Consent {
        /** Deadline of one Check call. */
        @WithDefault("2s")
        Duration timeout();
    }

    interface Audience {
        /** Deadline of one GetProfileSegments call to segment-service. */
        @WithDefault("2s")
        Duration timeout();
    }

    /** Processing of a consumed message that failed for a reason other than the message itself. */
    interface Retry {
        /** Attempts before the message goes to the dead-letter topic (replayable: firings are idempotent). */
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("0.5s")
        Duration initialBackoff();

        @WithDefault("15s")
        Duration maxBackoff();
    }

    /** Firings published on kairos.actions (in-app channel). */
    interface Actions {
        /** How long to wait for Kafka's acknowledgement before the firing counts as not delivered (and is retried). */
        @WithDefault("10s")
        Duration ackTimeout();
    }

    /** The delivery log's retention pass (the days themselves are the workspace's history retention). */
    interface DeliveryRetention {
        /** Kept at least this long, as long as kairos.events.resolved keeps events that could fire again. */
        @WithDefault("7")
        int minDays();

        /** How often the pass runs ("off" for never); read by the scheduler. */
        @WithDefault("1h")
        String every();

        @WithDefault("1m")
        String firstAfter();
    }

    /** Waiting firings (delay, unless, quiet hours): how often due ones are looked for, and how many at once. */
    interface Timers {
        /** How often due firings are claimed; a firing goes out at most this late, plus its send. */
        @WithDefault("0.25s")
        Duration pollEvery();

        /** Firings claimed per query; a poll keeps claiming while whole batches come back. */
        @WithDefault("500")
        int batchSize();

        /** Claimed firings sent at once. */
        @WithDefault("64")
        int concurrency();

        /** How long a claim holds; a claimer that dies leaves its firings to others after it. Longer than a send's retries. */
        @WithDefault("2m")
        Duration lease();
    }

    /** The consumed topics, read a polled batch at a time. */
    interface Streams {
        /** Profiles of one batch worked on at once; one profile's messages always go in their order. */
        @WithDefault("64")
        int concurrency();
    }
}
