package io.kairos.consent.domain;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of one legal regime, as data a workspace can edit: which places it governs, which
 * purposes need opt-in (everything else is opt-out: allowed until the person says no), which
 * channels need express consent whatever the purpose, whether a Global Privacy Control signal
 * counts as an opt-out of sale and sharing, legal quiet hours per channel in the recipient's
 * local time, and how long a privacy request may take.
 *
 * @param places ISO 3166 codes it governs: a country ("US", "DE") or a subdivision ("US-CA")
 */
public record Jurisdiction(String code, String name, Set<String> places, Set<Purpose> optIn,
                           Set<Channel> expressConsent, boolean honoursGpc,
                           Map<DeliveryChannel, List<QuietHours>> quietHours, Duration requestDeadline) {

    public static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_-]{0,31}");
    public static final Pattern PLACE = Pattern.compile("[A-Z]{2}(-[A-Z0-9]{1,3})?");

    public Jurisdiction {
        Objects.requireNonNull(name);
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("jurisdiction code " + code + " is not " + CODE);
        }
        for (String place : places) {
            if (!PLACE.matcher(place).matches()) {
                throw new IllegalArgumentException("place " + place + " is not an ISO 3166 code");
            }
        }
        places = Set.copyOf(places);
        optIn = optIn.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(optIn));
        expressConsent = expressConsent.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(expressConsent));
        Map<DeliveryChannel, List<QuietHours>> windows = new EnumMap<>(DeliveryChannel.class);
        quietHours.forEach((channel, list) -> {
            if (!list.isEmpty()) {
                windows.put(channel, List.copyOf(list));
            }
        });
        quietHours = windows.isEmpty() ? Map.of() : Collections.unmodifiableMap(windows);
        if (requestDeadline.isNegative() || requestDeadline.isZero()) {
            throw new IllegalArgumentException("a request deadline is positive, got " + requestDeadline);
        }
    }

    public List<QuietHours> quietHours(DeliveryChannel channel) {
        return quietHours.getOrDefault(channel, List.of());
    }
}
