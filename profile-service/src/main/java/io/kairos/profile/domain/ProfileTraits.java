package io.kairos.profile.domain;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How an event changes a profile's traits, as in Segment: identify merges its traits, track,
 * page and screen merge context.traits, top-level keys overwrite and a null value removes the
 * trait. System traits (prefixed "$") are maintained here only; an event cannot set them.
 */
public final class ProfileTraits {

    public static final String FIRST_SEEN = "$firstSeen";
    public static final String LAST_SEEN = "$lastSeen";
    public static final String CHANNELS = "$channels";
    public static final String TIMEZONE = "$timezone";
    public static final String LOCALE = "$locale";
    /** ISO 3166 country: context.location.country, else the locale's ("en-GB" -> "GB"). */
    public static final String COUNTRY = "$country";
    /** context.location.region (state, province). */
    public static final String REGION = "$region";

    private static final String SYSTEM_PREFIX = "$";

    private ProfileTraits() {
    }

    public static TraitUpdate apply(ProfileState current, ObservedEvent event) {
        Map<String, Object> next = new LinkedHashMap<>(current.traits());
        userTraits(event).forEach((trait, value) -> {
            if (trait.startsWith(SYSTEM_PREFIX)) {
                return;
            }
            if (value == null) {
                next.remove(trait);
            } else {
                next.put(trait, value);
            }
        });

        Instant firstSeen = current.firstSeen() == null || event.occurredAt().isBefore(current.firstSeen())
                ? event.occurredAt() : current.firstSeen();
        Instant lastSeen = current.lastSeen() == null || event.occurredAt().isAfter(current.lastSeen())
                ? event.occurredAt() : current.lastSeen();
        next.put(FIRST_SEEN, firstSeen.toString());
        next.put(LAST_SEEN, lastSeen.toString());

        Set<String> channels = new TreeSet<>(event.channels());
        if (current.traits().get(CHANNELS) instanceof Collection<?> seen) {
            seen.stream().filter(String.class::isInstance).map(String.class::cast).forEach(channels::add);
        }
        if (!channels.isEmpty()) {
            next.put(CHANNELS, List.copyOf(channels));
        }
        // An unknown zone would break quiet-hours maths downstream; keep the last valid one.
        event.timezone().filter(ProfileTraits::isZone).ifPresent(zone -> next.put(TIMEZONE, zone));
        event.locale().ifPresent(locale -> next.put(LOCALE, locale));
        event.country().ifPresent(country -> next.put(COUNTRY, country));
        event.region().ifPresent(region -> next.put(REGION, region));

        Map<String, Object> changed = changes(current.traits(), next);
        Map<String, Instant> times = new HashMap<>(current.traitTimes());
        changed.forEach((trait, value) -> {
            if (value == null) {
                times.remove(trait);
            } else {
                times.put(trait, event.occurredAt());
            }
        });
        return new TraitUpdate(Collections.unmodifiableMap(next), changed, times, firstSeen, lastSeen);
    }

    private static Map<String, Object> userTraits(ObservedEvent event) {
        return switch (event.type()) {
            case IDENTIFY -> event.traits();
            case TRACK, PAGE, SCREEN -> event.contextTraits();
            // group traits describe the group (account), not the person; alias carries none
            case GROUP, ALIAS -> Map.of();
        };
    }

    private static Map<String, Object> changes(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> changed = new LinkedHashMap<>();
        Set<String> traits = new LinkedHashSet<>(before.keySet());
        traits.addAll(after.keySet());
        for (String trait : traits) {
            boolean wasPresent = before.containsKey(trait);
            boolean isPresent = after.containsKey(trait);
            if (wasPresent != isPresent || !sameValue(before.get(trait), after.get(trait))) {
                changed.put(trait, after.get(trait));
            }
        }
        return Collections.unmodifiableMap(changed);
    }

    /** JSON equality: 1, 1L and 1.0 are one number whichever way the JSON was read back. */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.size() == y.size() && x.entrySet().stream().allMatch(entry ->
                    y.containsKey(entry.getKey()) && sameValue(entry.getValue(), y.get(entry.getKey())));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> left = x.iterator();
            Iterator<?> right = y.iterator();
            while (left.hasNext()) {
                if (!sameValue(left.next(), right.next())) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static boolean isZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException invalid) {
            return false;
        }
    }
}
