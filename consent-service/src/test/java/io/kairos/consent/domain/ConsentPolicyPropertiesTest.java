package io.kairos.consent.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Order-independence and time properties of the policy over arbitrary ledgers. */
class ConsentPolicyPropertiesTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final ConsentPolicy policy = new ConsentPolicy();

    @Property
    void theOrderRecordsArriveInDoesNotMatter(@ForAll("ledgers") List<ConsentEntry> ledger,
                                              @ForAll("queries") ConsentQuery query,
                                              @ForAll long seed) {
        List<ConsentEntry> shuffled = new ArrayList<>(ledger);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(policy.decide(query, Recipient.UNKNOWN, Policies.NONE, shuffled)).isEqualTo(policy.decide(query, Recipient.UNKNOWN, Policies.NONE, ledger));
    }

    @Property
    void recordsAfterTheAskedInstantNeverChangeTheDecision(@ForAll("ledgers") List<ConsentEntry> ledger,
                                                           @ForAll("queries") ConsentQuery query,
                                                           @ForAll("statuses") ConsentStatus status) {
        List<ConsentEntry> withFuture = new ArrayList<>(ledger);
        withFuture.add(new ConsentEntry(query.purpose(), query.channel(), status, "future",
                query.at().plusMillis(1), Long.MAX_VALUE));
        assertThat(policy.decide(query, Recipient.UNKNOWN, Policies.NONE, withFuture)).isEqualTo(policy.decide(query, Recipient.UNKNOWN, Policies.NONE, ledger));
    }

    @Property
    void theNewestMatchingRecordDecides(@ForAll("ledgers") List<ConsentEntry> ledger,
                                        @ForAll("queries") ConsentQuery query,
                                        @ForAll("statuses") ConsentStatus status,
                                        @ForAll boolean onAll) {
        List<ConsentEntry> appended = new ArrayList<>(ledger);
        ConsentEntry newest = new ConsentEntry(query.purpose(), onAll ? Channel.ALL : query.channel(), status,
                "newest", query.at(), Long.MAX_VALUE);
        appended.add(newest);

        ConsentDecision decision = policy.decide(query, Recipient.UNKNOWN, Policies.NONE, appended);
        assertThat(decision).isInstanceOf(status.permits() ? ConsentDecision.Allow.class : ConsentDecision.Deny.class);
        assertThat(decision.rules()).containsExactly(ConsentPolicy.LATEST_RECORD);
        assertThat(decision.reason()).contains(newest.scope()).contains("source newest");
    }

    @Provide
    Arbitrary<List<ConsentEntry>> ledgers() {
        // Few distinct instants, so that same-millisecond ties are common.
        Arbitrary<Instant> instants = Arbitraries.integers().between(0, 20).map(T0::plusSeconds);
        Arbitrary<ConsentEntry> entries = Combinators.combine(
                        Arbitraries.of(Purpose.class), Arbitraries.of(Channel.class), statuses(), instants)
                .as((purpose, channel, status, at) -> new ConsentEntry(purpose, channel, status, "s", at, 0));
        // Sequences are the ledger's append order: unique per record.
        return entries.list().ofMaxSize(25).map(list -> IntStream.range(0, list.size())
                .mapToObj(i -> {
                    ConsentEntry e = list.get(i);
                    return new ConsentEntry(e.purpose(), e.channel(), e.status(), e.source(), e.recordedAt(), i + 1L);
                })
                .toList());
    }

    @Provide
    Arbitrary<ConsentQuery> queries() {
        return Combinators.combine(Arbitraries.of(Purpose.class), Arbitraries.of(Channel.class),
                        Arbitraries.integers().between(-1, 21).map(T0::plusSeconds))
                .as(ConsentQuery::new);
    }

    @Provide
    Arbitrary<ConsentStatus> statuses() {
        return Arbitraries.of(ConsentStatus.class);
    }
}
