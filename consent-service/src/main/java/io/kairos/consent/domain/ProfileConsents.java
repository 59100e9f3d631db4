package io.kairos.consent.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;

/** A profile's whole ledger: its history and, per purpose x channel, the record in force. */
public record ProfileConsents(List<ConsentEntry> history) {

    private static final Comparator<ConsentEntry> BY_SCOPE =
            Comparator.comparing(ConsentEntry::purpose).thenComparing(ConsentEntry::channel);

    public ProfileConsents {
        history = history.stream().sorted(ConsentEntry.LEDGER_ORDER).toList();
    }

    /** The latest record of each purpose x channel, ordered by purpose then channel. */
    public List<ConsentEntry> current() {
        Map<Scope, ConsentEntry> latest = history.stream().collect(Collectors.toMap(
                entry -> new Scope(entry.purpose(), entry.channel()),
                entry -> entry,
                BinaryOperator.maxBy(ConsentEntry.LEDGER_ORDER)));
        return latest.values().stream().sorted(BY_SCOPE).toList();
    }

    private record Scope(Purpose purpose, Channel channel) {
    }
}
