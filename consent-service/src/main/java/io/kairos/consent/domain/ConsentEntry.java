package io.kairos.consent.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of a profile's consent ledger. {@code sequence} is the ledger's append order; it
 * breaks ties between records stamped with the same millisecond. A grant may expire; once it has,
 * it no longer counts as granted.
 */
public record ConsentEntry(Purpose purpose, Channel channel, ConsentStatus status, String source, Origin origin,
                           Proof proof, Instant recordedAt, Optional<Instant> expiresAt, long sequence) {

    /** Oldest first; the last element in this order is the latest record. */
    public static final Comparator<ConsentEntry> LEDGER_ORDER =
            Comparator.comparing(ConsentEntry::recordedAt).thenComparingLong(ConsentEntry::sequence);

    public ConsentEntry {
        Objects.requireNonNull(origin);
        Objects.requireNonNull(proof);
        Objects.requireNonNull(expiresAt);
    }

    /** A record written through the admin API, without proof or expiry. */
    public ConsentEntry(Purpose purpose, Channel channel, ConsentStatus status, String source, Instant recordedAt,
                        long sequence) {
        this(purpose, channel, status, source, Origin.ADMIN, Proof.NONE, recordedAt, Optional.empty(), sequence);
    }

    public boolean expiredAt(Instant at) {
        return expiresAt.isPresent() && !at.isBefore(expiresAt.get());
    }

    public String scope() {
        return purpose.wireName() + "/" + channel.wireName();
    }
}
