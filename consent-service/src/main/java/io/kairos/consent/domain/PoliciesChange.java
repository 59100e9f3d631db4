package io.kairos.consent.domain;

import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated update of a workspace's policies, to be merged into the current ones: an empty
 * {@code defaultTimezone} or {@code frequencyCaps} keeps the current value (caps are replaced as
 * a whole when present); {@code quietHours} names only the channels that change, an empty
 * window removing the channel's quiet hours.
 */
public record PoliciesChange(Optional<ZoneId> defaultTimezone, Map<DeliveryChannel, Optional<QuietHours>> quietHours,
                             Optional<List<FrequencyCap>> frequencyCaps) {

    public PoliciesChange {
        quietHours = quietHours.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(quietHours));
        frequencyCaps = frequencyCaps.map(List::copyOf);
    }
}
