package io.kairos.consent.domain;

import java.time.Instant;
import java.util.List;

/** The answer to a {@link ConsentQuery}: why, and which rules decided it, in order. */
public sealed interface ConsentDecision {

    String reason();

    List<String> rules();

    record Allow(String reason, List<String> rules) implements ConsentDecision {
        public Allow {
            rules = List.copyOf(rules);
        }
    }

    record Deny(String reason, List<String> rules) implements ConsentDecision {
        public Deny {
            rules = List.copyOf(rules);
        }
    }

    /** Allowed, but not now: the send waits until {@code until}, the first allowed instant. */
    record Defer(Instant until, String reason, List<String> rules) implements ConsentDecision {
        public Defer {
            rules = List.copyOf(rules);
        }
    }
}
