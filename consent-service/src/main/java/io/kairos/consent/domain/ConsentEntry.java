package io.kairos.consent.domain;

import java.time.Instant;
import java.util.Comparator;

/**
 * One record of a profile's consent ledger. {@code sequence} is the ledger's append order; it
 * breaks ties between records stamped with the same millisecond.
 */
public record ConsentEntry(Purpose purpose, Channel channel, ConsentStatus status, String source,
                           Instant recordedAt, long sequence) {

    /** Oldest first; the last element in this order is the latest record. */
    public static final Comparator<ConsentEntry> LEDGER_ORDER =
            Comparator.comparing(ConsentEntry::recordedAt).thenComparingLong(ConsentEntry::sequence);

    public String scope() {
        return purpose.wireName() + "/" + channel.wireName();
    }
}
