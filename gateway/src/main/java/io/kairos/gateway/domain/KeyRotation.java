package io.kairos.gateway.domain;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * How a source's write key is replaced: the previous key keeps working for the grace period
 * (none: it stops at once), so that deployed apps can be updated without losing events.
 */
public record KeyRotation(Duration gracePeriod) {

    /** Longer than any release cycle needs; a key that should be dead must not linger for months. */
    public static final Duration MAX_GRACE_PERIOD = Duration.ofDays(30);

    public static KeyRotation of(String gracePeriod) {
        if (gracePeriod == null || gracePeriod.isBlank()) {
            return new KeyRotation(Duration.ZERO);
        }
        Duration parsed;
        try {
            parsed = Duration.parse(gracePeriod.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("INVALID_GRACE_PERIOD", "/gracePeriod",
                    "gracePeriod must be an ISO-8601 duration such as PT24H, got '" + gracePeriod + "'");
        }
        if (parsed.isNegative() || parsed.compareTo(MAX_GRACE_PERIOD) > 0) {
            throw new InvalidInputException("INVALID_GRACE_PERIOD", "/gracePeriod",
                    "gracePeriod must be between PT0S and " + MAX_GRACE_PERIOD + ", got " + gracePeriod);
        }
        return new KeyRotation(parsed);
    }
}
