package io.kairos.gateway.config;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

@ConfigMapping(prefix = "kairos.gateway")
public interface GatewayConfig {

    Ingestion ingestion();

    EventLog eventLog();

    RateLimit rateLimit();

    /** Deadline of every gRPC call to another Kairos service. */
    Duration grpcDeadline();

    /** Retry-After sent with a 503 (event log or another service unavailable). */
    Duration retryAfter();

    interface Ingestion {

        int maxEventBytes();

        int maxBatchBytes();

        int maxBatchMessages();

        /** How long a request waits for Kafka to acknowledge all of its messages. */
        Duration ackTimeout();
    }

    /** The Kafka producer of kairos.events.raw; acks=all and idempotence are not settings. */
    interface EventLog {

        String topic();

        String bootstrapServers();

        int batchSize();

        Duration linger();

        /** Kafka's compression.type: none, gzip, snappy, lz4 or zstd. */
        String compression();

        /** How long a send may wait for topic metadata or buffer space before it fails. */
        Duration maxBlock();

        /** How long shutting down waits for unsent records. */
        Duration closeTimeout();
    }

    /** A token bucket per source, shared by every instance through Redis; one token per message. */
    interface RateLimit {

        boolean enabled();

        /** Refill rate: the sustained messages per second a source may send. */
        int eventsPerSecond();

        /** Bucket size: how many messages a source may send at once after a quiet spell. */
        int burst();

        /** How long a request waits for Redis before it is let through unlimited. */
        Duration redisTimeout();
    }
}
