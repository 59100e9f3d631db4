package io.kairos.consent.domain;

import java.time.Instant;

/** May the profile be contacted (or its data used) for {@code purpose} on {@code channel} at instant {@code at}? */
public record ConsentQuery(Purpose purpose, Channel channel, Instant at) {

    /** {@code atMs} 0 (the unset proto3 value) means {@code now}. */
    public static ConsentQuery parse(String purpose, String channel, long atMs, Instant now) {
        Purpose parsedPurpose = Purpose.parse(purpose, "purpose");
        Channel parsedChannel = Channel.parse(channel, "channel");
        if (atMs < 0) {
            throw new InvalidConsentInput("INVALID_TIMESTAMP", "atMs",
                    "atMs must be epoch milliseconds (0 for now), got " + atMs);
        }
        return new ConsentQuery(parsedPurpose, parsedChannel, atMs == 0 ? now : Instant.ofEpochMilli(atMs));
    }
}
