package io.kairos.consent.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A validated request to append one record to the ledger. */
public record ConsentChange(ConsentSubject subject, Purpose purpose, Channel channel, ConsentStatus status,
                            String source, Origin origin, Proof proof, Optional<Instant> expiresAt) {

    public ConsentChange {
        Objects.requireNonNull(origin);
        Objects.requireNonNull(proof);
        Objects.requireNonNull(expiresAt);
    }

    /**
     * Validates in request-field order, so the first field at fault is the one reported. Only a
     * grant expires, and not before it is recorded ({@code now}).
     *
     * @param expiresAtMs epoch milliseconds, 0 for never
     */
    public static ConsentChange parse(String workspace, String profileId, String purpose, String channel,
                                      String status, String source, Proof proof, long expiresAtMs, Instant now) {
        ConsentSubject subject = ConsentSubject.parse(workspace, profileId);
        Purpose parsedPurpose = Purpose.parse(purpose, "purpose");
        Channel parsedChannel = Channel.parse(channel, "channel");
        ConsentStatus parsedStatus = ConsentStatus.parse(status, "status");
        String parsedSource = TextField.optional(source, "source");
        Optional<Instant> expiresAt = Optional.empty();
        if (expiresAtMs < 0) {
            throw new InvalidConsentInput("INVALID_TIMESTAMP", "expiresAt",
                    "expiresAt must be epoch milliseconds (0 for never), got " + expiresAtMs);
        }
        if (expiresAtMs > 0) {
            if (!parsedStatus.permits()) {
                throw new InvalidConsentInput("EXPIRY_NOT_ALLOWED", "expiresAt",
                        "only a granted consent expires; a " + parsedStatus.wireName() + " one stands until changed");
            }
            Instant expiry = Instant.ofEpochMilli(expiresAtMs);
            if (!expiry.isAfter(now)) {
                throw new InvalidConsentInput("EXPIRY_IN_PAST", "expiresAt",
                        "expiresAt " + expiry + " is not after now (" + now + ")");
            }
            expiresAt = Optional.of(expiry);
        }
        return new ConsentChange(subject, parsedPurpose, parsedChannel, parsedStatus, parsedSource, Origin.ADMIN,
                proof, expiresAt);
    }
}
