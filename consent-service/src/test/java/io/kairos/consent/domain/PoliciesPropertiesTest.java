package io.kairos.consent.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Round trips and merge laws of workspace policies, and robustness of their parser on arbitrary JSON. */
class PoliciesPropertiesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

    @Property
    void writtenPoliciesReadBackUnchanged(@ForAll("policies") Policies policies) {
        String written = new String(PoliciesJson.write(policies), StandardCharsets.UTF_8);

        assertThat(PoliciesJson.readStored(written)).isEqualTo(policies);
    }

    @Property
    void theWrittenDocumentAsAnUpdateSetsEveryFieldItNames(@ForAll("policies") Policies current,
                                                           @ForAll("policies") Policies sent) {
        Policies merged = current.with(PoliciesJson.parseChange(PoliciesJson.write(sent)));

        assertThat(merged.defaultTimezone()).isEqualTo(sent.defaultTimezone());
        assertThat(merged.frequencyCaps()).isEqualTo(sent.frequencyCaps());
        Map<DeliveryChannel, QuietHours> expected = new EnumMap<>(DeliveryChannel.class);
        expected.putAll(current.quietHours());
        expected.putAll(sent.quietHours());
        assertThat(merged.quietHours()).isEqualTo(expected);
    }

    @Property
    void applyingAChangeTwiceIsApplyingItOnce(@ForAll("policies") Policies current, @ForAll("changes") PoliciesChange change) {
        assertThat(current.with(change).with(change)).isEqualTo(current.with(change));
    }

    @Property
    void whatAChangeLeavesOutKeepsItsValue(@ForAll("policies") Policies current, @ForAll("changes") PoliciesChange change) {
        Policies changed = current.with(change);

        if (change.defaultTimezone().isEmpty()) {
            assertThat(changed.defaultTimezone()).isEqualTo(current.defaultTimezone());
        }
        if (change.frequencyCaps().isEmpty()) {
            assertThat(changed.frequencyCaps()).isEqualTo(current.frequencyCaps());
        }
        for (DeliveryChannel channel : DeliveryChannel.values()) {
            if (!change.quietHours().containsKey(channel)) {
                assertThat(changed.quietHours().get(channel)).isEqualTo(current.quietHours().get(channel));
            }
        }
    }

    /**
     * Arbitrary JSON built from the policies' own vocabulary and near misses: the parser either
     * accepts it or refuses it with {@link InvalidConsentInput} (never another exception), naming
     * a place that exists in the document, or for a missing field, its parent.
     */
    @Property(tries = 2000)
    void anyJsonIsAcceptedOrRefusedAtAPlaceInIt(@ForAll("documents") Object document) throws Exception {
        byte[] json = JSON.writeValueAsBytes(document);
        try {
            PoliciesJson.parseChange(json);
        } catch (InvalidConsentInput invalid) {
            JsonNode tree = JSON.readTree(json);
            String pointer = invalid.pointer();
            String place = invalid.reason().equals("FIELD_REQUIRED") ? pointer.substring(0, pointer.lastIndexOf('/')) : pointer;
            assertThat(tree.at(place).isMissingNode()).as("%s names %s in %s", invalid.reason(), pointer, tree).isFalse();
        }
    }

    @Provide
    Arbitrary<Policies> policies() {
        Arbitrary<Map<DeliveryChannel, QuietHours>> quietHours = Arbitraries.maps(
                Arbitraries.of(DeliveryChannel.class), windows()).ofMaxSize(DeliveryChannel.values().length);
        return Combinators.combine(zones(), quietHours, caps()).as(Policies::new);
    }

    @Provide
    Arbitrary<PoliciesChange> changes() {
        Arbitrary<Map<DeliveryChannel, Optional<QuietHours>>> quietHours = Arbitraries.maps(
                Arbitraries.of(DeliveryChannel.class), windows().optional()).ofMaxSize(DeliveryChannel.values().length);
        return Combinators.combine(zones().optional(), quietHours, caps().optional()).as(PoliciesChange::new);
    }

    @Provide
    Arbitrary<Object> documents() {
        Arbitrary<String> keys = Arbitraries.of("defaultTimezone", "quietHours", "frequencyCaps", "sms", "email",
                "in_app", "fax", "from", "to", "channel", "purpose", "max", "per", "x/y", "");
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                Arbitraries.of("UTC", "Europe/Berlin", "Nowhere", "21:00", "08:00", "24:00", "P7D", "PT0S", "-P1D",
                        "marketing", "ads", "email", "kafka", "", "null").map(Object.class::cast),
                Arbitraries.of(0, 1, 3, -1, 2.5, 3_000_000_000L).map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                Arbitraries.just(null));
        return Arbitraries.recursive(() -> leaves, value -> Arbitraries.oneOf(
                Arbitraries.maps(keys, value).ofMaxSize(4).map(map -> (Object) new LinkedHashMap<>(map)),
                value.list().ofMaxSize(3).map(list -> (Object) new ArrayList<>(list))), 0, 4);
    }

    private static Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZONES).map(ZoneId::of);
    }

    private static Arbitrary<QuietHours> windows() {
        Arbitrary<LocalTime> times = Arbitraries.integers().between(0, 24 * 60 - 1).map(m -> LocalTime.of(m / 60, m % 60));
        return Combinators.combine(times, times).filter((from, to) -> !from.equals(to)).as(QuietHours::new);
    }

    private static Arbitrary<List<FrequencyCap>> caps() {
        Arbitrary<Duration> windows = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 400).map(Duration::ofDays),
                Arbitraries.longs().between(1, 90 * 86_400L).map(Duration::ofSeconds),
                Arbitraries.longs().between(1, 999).map(Duration::ofMillis));
        Arbitrary<FrequencyCap> cap = Combinators.combine(Arbitraries.of(DeliveryChannel.class),
                Arbitraries.of(Purpose.class).optional(), Arbitraries.integers().between(1, Integer.MAX_VALUE), windows)
                .as(FrequencyCap::new);
        return cap.list().ofMaxSize(6).uniqueElements(c -> List.of(c.channel(), c.purpose(), c.per()));
    }
}
