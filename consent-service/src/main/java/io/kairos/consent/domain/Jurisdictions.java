package io.kairos.consent.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A workspace's jurisdictions by code, and the one that applies where no other claims the place.
 * A place is claimed by at most one jurisdiction; the most specific claim wins ("US-CA" over "US").
 */
public record Jurisdictions(Map<String, Jurisdiction> byCode, String defaultCode) {

    /** What every workspace starts with: {@code jurisdictions.json} beside this class. */
    public static final Jurisdictions SEEDED = seeded();

    public Jurisdictions {
        Objects.requireNonNull(defaultCode);
        byCode = Collections.unmodifiableMap(new TreeMap<>(byCode));
        byCode.forEach((code, jurisdiction) -> {
            if (!code.equals(jurisdiction.code())) {
                throw new IllegalArgumentException("jurisdiction " + jurisdiction.code() + " filed under " + code);
            }
        });
        if (!byCode.containsKey(defaultCode)) {
            throw new InvalidConsentInput("UNKNOWN_JURISDICTION", "defaultJurisdiction",
                    "defaultJurisdiction '" + defaultCode + "' is not one of the jurisdictions " + byCode.keySet());
        }
        Map<String, String> claims = new HashMap<>();
        for (Jurisdiction jurisdiction : byCode.values()) {
            for (String place : jurisdiction.places()) {
                String other = claims.putIfAbsent(place, jurisdiction.code());
                if (other != null) {
                    throw new InvalidConsentInput("PLACE_CLAIMED_TWICE", "jurisdictions/" + jurisdiction.code() + "/places",
                            place + " is governed by both " + other + " and " + jurisdiction.code()
                                    + "; a place belongs to one jurisdiction");
                }
            }
        }
    }

    /** The jurisdiction governing {@code place}: its region's, else its country's, else the default. */
    public Jurisdiction governing(Place place) {
        for (String code : place.codes()) {
            for (Jurisdiction jurisdiction : byCode.values()) {
                if (jurisdiction.places().contains(code)) {
                    return jurisdiction;
                }
            }
        }
        return byCode.get(defaultCode);
    }

    private static Jurisdictions seeded() {
        try (InputStream in = Jurisdictions.class.getResourceAsStream("jurisdictions.json")) {
            if (in == null) {
                throw new IllegalStateException("missing jurisdictions.json beside " + Jurisdictions.class.getName());
            }
            return PoliciesJson.readJurisdictions(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
