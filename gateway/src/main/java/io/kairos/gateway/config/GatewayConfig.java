package io.kairos.gateway.config;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

@ConfigMapping(prefix = "kairos.gateway")
public interface GatewayConfig {

    Ingestion ingestion();

    /** Deadline of every gRPC call to another Kairos service. */
    Duration grpcDeadline();

    /** Retry-After sent with a 503 (event log or another service unavailable). */
    Duration retryAfter();

    interface Ingestion {

        int maxEventBytes();

        int maxBatchBytes();

        /** How long a request waits for Kafka to acknowledge all of its messages. */
        Duration ackTimeout();
    }
}
