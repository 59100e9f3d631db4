package io.kairos.consent.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Optional;

/**
 * The quiet hours one send must respect, in every zone the recipient may be in. A send is allowed
 * at an instant that falls in no window in any zone; DST is the zone rules' business, so a window
 * is always read on the local clock, however long the night.
 */
public record QuietHoursSchedule(List<ZoneId> zones, List<QuietHours> windows) {

    /** How far ahead a send is looked for: past a week, windows that never open are a policy fault, not a wait. */
    public static final Duration HORIZON = Duration.ofDays(8);

    public QuietHoursSchedule {
        zones = List.copyOf(zones);
        windows = List.copyOf(windows);
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one zone");
        }
    }

    /**
     * The first instant at or after {@code at} outside every window in every zone; empty if there is
     * none within {@link #HORIZON}. Each window a candidate falls in pushes it to that window's end,
     * until no window holds it: the candidate only moves forward, so this ends.
     */
    public Optional<Instant> firstAllowed(Instant at) {
        Instant limit = at.plus(HORIZON);
        Instant candidate = at;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (ZoneId zone : zones) {
                for (QuietHours window : windows) {
                    Optional<LocalDateTime> end = window.endOfOccurrence(LocalDateTime.ofInstant(candidate, zone));
                    if (end.isPresent()) {
                        Instant until = instant(end.get(), zone, candidate);
                        if (until.isAfter(candidate)) {
                            candidate = until;
                            moved = true;
                        }
                    }
                }
            }
            if (candidate.isAfter(limit)) {
                return Optional.empty();
            }
        }
        return Optional.of(candidate);
    }

    /**
     * The instant a window's local end stands for. In a spring-forward gap the clock never shows
     * it: the window ends when the clock jumps past it. In a fall-back overlap it shows twice: the
     * first showing after {@code after} counts.
     */
    private static Instant instant(LocalDateTime end, ZoneId zone, Instant after) {
        ZoneRules rules = zone.getRules();
        List<Instant> showings = rules.getValidOffsets(end).stream().map(end::toInstant).sorted().toList();
        if (showings.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(end);
            return gap.getInstant();
        }
        return showings.stream().filter(instant -> instant.isAfter(after)).findFirst().orElse(showings.getLast());
    }
}
