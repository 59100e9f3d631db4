package io.kairos.trigger.domain;

import java.time.Instant;

/** consent-service's answer for one firing. Only {@link Allow} lets a message out. */
public sealed interface ConsentDecision {

    record Allow() implements ConsentDecision {
    }

    record Deny(String reason) implements ConsentDecision {
    }

    record Defer(Instant until, String reason) implements ConsentDecision {
    }
}
