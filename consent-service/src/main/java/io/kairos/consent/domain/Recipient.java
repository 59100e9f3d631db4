package io.kairos.consent.domain;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What consent-service knows of where a profile is: its {@code $timezone} trait, the time zone of
 * the event a send answers, and its place ({@code $country}, {@code $region}).
 */
public record Recipient(Optional<ZoneId> timezone, Optional<ZoneId> eventTimezone, Place place) {

    public static final Recipient UNKNOWN = new Recipient(Optional.empty(), Optional.empty(), Place.UNKNOWN);

    public Recipient {
        Objects.requireNonNull(timezone);
        Objects.requireNonNull(eventTimezone);
        Objects.requireNonNull(place);
    }

    /** The zones the recipient may be in, and why: the first of trait, event, place and workspace default that is known. */
    public Zones zones(ZoneId workspaceDefault) {
        if (timezone.isPresent()) {
            return new Zones(List.of(timezone.get()), "profile $timezone " + timezone.get());
        }
        if (eventTimezone.isPresent()) {
            return new Zones(List.of(eventTimezone.get()), "event timezone " + eventTimezone.get());
        }
        List<ZoneId> placeZones = Geography.zones(place);
        if (!placeZones.isEmpty()) {
            return new Zones(placeZones, placeZones.size() == 1 ? place + " (" + placeZones.getFirst() + ")"
                    : place + " (every one of its " + placeZones.size() + " zones)");
        }
        return new Zones(List.of(workspaceDefault), "workspace default " + workspaceDefault);
    }

    public Recipient withEventTimezone(Optional<ZoneId> zone) {
        return new Recipient(timezone, zone, place);
    }

    public record Zones(List<ZoneId> zones, String source) {
        public Zones {
            zones = List.copyOf(zones);
        }
    }
}
