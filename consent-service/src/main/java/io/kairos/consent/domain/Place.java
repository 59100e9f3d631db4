package io.kairos.consent.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a recipient is, as laws and clocks see it: an ISO 3166-1 alpha-2 country ("US") and a
 * subdivision within it ("CA" for California). Read from free text with {@link Geography#place}.
 */
public record Place(Optional<String> country, Optional<String> region) {

    public static final Place UNKNOWN = new Place(Optional.empty(), Optional.empty());

    public Place {
        if (region.isPresent() && country.isEmpty()) {
            throw new IllegalArgumentException("a region is only known within a country");
        }
    }

    /** The codes a jurisdiction may claim this place by, most specific first: "US-CA", then "US". */
    public List<String> codes() {
        List<String> codes = new ArrayList<>(2);
        region.ifPresent(r -> codes.add(country.orElseThrow() + "-" + r));
        country.ifPresent(codes::add);
        return codes;
    }

    @Override
    public String toString() {
        return codes().isEmpty() ? "unknown place" : codes().getFirst();
    }
}
