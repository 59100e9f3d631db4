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

    /** consent-service refused the question itself; asking again gets the same refusal, so it is not an outage. */
    record Rejected(String problem) implements ConsentDecision {
    }
}
