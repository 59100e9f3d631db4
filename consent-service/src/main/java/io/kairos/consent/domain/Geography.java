package io.kairos.consent.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Countries, U.S. regions and their time zones, from data files beside this class:
 * {@code country-zones.tsv} (the tz database's zone.tab) and {@code us-regions.tsv}. Reads the
 * free text events carry ("United States", "usa", "California", "US-CA") as codes.
 */
public final class Geography {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Map<String, String> COUNTRY_NAMES = countryNames();
    private static final Map<String, List<ZoneId>> COUNTRY_ZONES = zones(read("country-zones.tsv"), 0, 1);
    private static final List<String[]> US_REGION_ROWS = read("us-regions.tsv");
    private static final Map<String, List<ZoneId>> US_REGION_ZONES = zones(US_REGION_ROWS, 0, 2);
    private static final Map<String, String> US_REGION_NAMES = usRegionNames();

    private Geography() {
    }

    /** The place named by a profile's {@code $country} and {@code $region}; what cannot be read stays unknown. */
    public static Place place(String country, String region) {
        Optional<String> countryCode = country(country);
        if (countryCode.isEmpty()) {
            return Place.UNKNOWN;
        }
        return new Place(countryCode, region(countryCode.get(), region));
    }

    /** Every zone the place may be in: its region's when known, else its country's; empty when neither is. */
    public static List<ZoneId> zones(Place place) {
        if (place.country().filter("US"::equals).isPresent() && place.region().isPresent()) {
            List<ZoneId> zones = US_REGION_ZONES.get(place.region().get());
            if (zones != null) {
                return zones;
            }
        }
        return place.country().map(c -> COUNTRY_ZONES.getOrDefault(c, List.of())).orElse(List.of());
    }

    static Optional<String> country(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String key = normalised(text);
        if (key.length() == 2 && COUNTRIES.contains(key.toUpperCase(Locale.ROOT))) {
            return Optional.of(key.toUpperCase(Locale.ROOT));
        }
        return Optional.ofNullable(COUNTRY_NAMES.get(key));
    }

    private static Optional<String> region(String country, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String key = normalised(text);
        String prefix = country.toLowerCase(Locale.ROOT) + "-";
        if (key.startsWith(prefix)) {
            key = key.substring(prefix.length());
        }
        if (country.equals("US")) {
            return Optional.ofNullable(US_REGION_NAMES.get(key));
        }
        // Outside the U.S. no region is matched against data, so only ISO 3166-2-like codes are kept.
        return key.matches("[a-z0-9]{1,3}") ? Optional.of(key.toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    private static String normalised(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[\\s.]+", "");
    }

    private static Map<String, String> countryNames() {
        Map<String, String> names = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            Locale locale = Locale.of("", code);
            names.put(normalised(locale.getDisplayCountry(Locale.ENGLISH)), code);
            try {
                names.put(normalised(locale.getISO3Country()), code);
            } catch (java.util.MissingResourceException noAlpha3) {
                // a code without an alpha-3 form is still known by name and alpha-2
            }
        }
        // Names in common use that are not the ISO short names.
        names.put(normalised("United States of America"), "US");
        names.put(normalised("U.S.A."), "US");
        names.put(normalised("UK"), "GB");
        names.put(normalised("Great Britain"), "GB");
        names.put(normalised("England"), "GB");
        names.put(normalised("Scotland"), "GB");
        names.put(normalised("Wales"), "GB");
        names.put(normalised("Northern Ireland"), "GB");
        return Map.copyOf(names);
    }

    private static Map<String, String> usRegionNames() {
        Map<String, String> names = new HashMap<>();
        for (String[] row : US_REGION_ROWS) {
            names.put(normalised(row[0]), row[0]);
            names.put(normalised(row[1]), row[0]);
        }
        return Map.copyOf(names);
    }

    private static Map<String, List<ZoneId>> zones(List<String[]> rows, int keyColumn, int zonesColumn) {
        Set<String> known = ZoneId.getAvailableZoneIds();
        Map<String, List<ZoneId>> zones = new HashMap<>();
        for (String[] row : rows) {
            // The JDK's tz data may lag the file's: a zone it does not know is left out, not fatal.
            List<ZoneId> ids = Arrays.stream(row[zonesColumn].split(",")).filter(known::contains).map(ZoneId::of).toList();
            if (!ids.isEmpty()) {
                zones.put(row[keyColumn], ids);
            }
        }
        return Map.copyOf(zones);
    }

    private static List<String[]> read(String resource) {
        try (InputStream in = Geography.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing data file " + resource + " beside " + Geography.class.getName());
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
