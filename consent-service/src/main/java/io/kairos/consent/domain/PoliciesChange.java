package io.kairos.consent.domain;

import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated update of a workspace's policies, to be merged into the current ones: an empty
 * {@code defaultTimezone}, {@code frequencyCaps} or {@code defaultJurisdiction} keeps the current
 * value (caps are replaced as a whole when present); {@code quietHours} and {@code jurisdictions}
 * name only what changes, an empty value removing it. {@code reseedJurisdictions} first puts the
 * jurisdictions back to the seeded ones.
 */
public record PoliciesChange(Optional<ZoneId> defaultTimezone, Map<DeliveryChannel, Optional<QuietHours>> quietHours,
                             Optional<List<FrequencyCap>> frequencyCaps,
                             Map<String, Optional<Jurisdiction>> jurisdictions, boolean reseedJurisdictions,
                             Optional<String> defaultJurisdiction) {

    public PoliciesChange {
        quietHours = quietHours.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(quietHours));
        frequencyCaps = frequencyCaps.map(List::copyOf);
        jurisdictions = Collections.unmodifiableMap(new LinkedHashMap<>(jurisdictions));
    }

    /** A change of contact policies that leaves jurisdictions as they are. */
    public PoliciesChange(Optional<ZoneId> defaultTimezone, Map<DeliveryChannel, Optional<QuietHours>> quietHours,
                          Optional<List<FrequencyCap>> frequencyCaps) {
        this(defaultTimezone, quietHours, frequencyCaps, Map.of(), false, Optional.empty());
    }
}
