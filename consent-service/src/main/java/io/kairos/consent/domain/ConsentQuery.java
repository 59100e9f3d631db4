package io.kairos.consent.domain;

import java.time.Instant;

/**
 * May the profile be contacted (or its data used) for {@code purpose} on {@code channel} at
 * instant {@code at}? With {@code quietHours}, a contact that falls inside the recipient's quiet
 * hours is deferred; without, only consent is asked (a trigger that does not respect quiet hours).
 */
public record ConsentQuery(Purpose purpose, Channel channel, Instant at, boolean quietHours) {

    public ConsentQuery(Purpose purpose, Channel channel, Instant at) {
        this(purpose, channel, at, true);
    }

    /** {@code atMs} 0 (the unset proto3 value) means {@code now}. */
    public static ConsentQuery parse(String purpose, String channel, long atMs, boolean ignoreQuietHours, Instant now) {
        Purpose parsedPurpose = Purpose.parse(purpose, "purpose");
        Channel parsedChannel = Channel.parse(channel, "channel");
        if (atMs < 0) {
            throw new InvalidConsentInput("INVALID_TIMESTAMP", "atMs",
                    "atMs must be epoch milliseconds (0 for now), got " + atMs);
        }
        return new ConsentQuery(parsedPurpose, parsedChannel, atMs == 0 ? now : Instant.ofEpochMilli(atMs),
                !ignoreQuietHours);
    }
}
