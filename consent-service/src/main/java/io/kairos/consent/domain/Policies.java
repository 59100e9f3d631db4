package io.kairos.consent.domain;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workspace's contact policies: the time zone assumed for a profile whose own is unknown,
 * quiet hours per channel (in the recipient's local time), frequency caps, and the
 * jurisdictions whose rules decide consent where the profile lives.
 */
public record Policies(ZoneId defaultTimezone, Map<DeliveryChannel, QuietHours> quietHours,
                       List<FrequencyCap> frequencyCaps, Jurisdictions jurisdictions) {

    /**
     * What a workspace that never set policies gets. UTC, because nothing better is known about
     * where its customers are. SMS quiet from 21:00 to 08:00 local time, because the US TCPA
     * (47 CFR 64.1200(c)(1)) forbids telephone solicitations outside 8 a.m.-9 p.m. at the
     * recipient's location: a new workspace is compliant until it decides otherwise, and can
     * remove the window explicitly ({@code "sms": null}). No caps: how often is a marketing
     * decision that Kairos cannot make for anyone.
     */
    public static final Policies DEFAULTS = new Policies(ZoneId.of("UTC"),
            Map.of(DeliveryChannel.SMS, new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))),
            List.of());

    /** No contact policies at all, the seeded jurisdictions: the base a complete stored document is read onto. */
    static final Policies NONE = new Policies(ZoneId.of("UTC"), Map.of(), List.of());

    public Policies {
        Objects.requireNonNull(defaultTimezone);
        Objects.requireNonNull(jurisdictions);
        quietHours = quietHours.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(quietHours));
        frequencyCaps = List.copyOf(frequencyCaps);
        for (int i = 0; i < frequencyCaps.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (frequencyCaps.get(i).sameScopeAs(frequencyCaps.get(j))) {
                    throw new IllegalArgumentException("two frequency caps with one scope: " + frequencyCaps.get(i));
                }
            }
        }
    }

    /** Contact policies under the seeded jurisdictions. */
    public Policies(ZoneId defaultTimezone, Map<DeliveryChannel, QuietHours> quietHours, List<FrequencyCap> frequencyCaps) {
        this(defaultTimezone, quietHours, frequencyCaps, Jurisdictions.SEEDED);
    }

    /**
     * These policies with {@code change} applied: what it leaves out stays as it is.
     *
     * @throws InvalidConsentInput when the jurisdictions it leaves contradict each other
     */
    public Policies with(PoliciesChange change) {
        Map<DeliveryChannel, QuietHours> windows = new EnumMap<>(DeliveryChannel.class);
        windows.putAll(quietHours);
        change.quietHours().forEach((channel, window) ->
                window.ifPresentOrElse(w -> windows.put(channel, w), () -> windows.remove(channel)));
        Jurisdictions base = change.reseedJurisdictions() ? Jurisdictions.SEEDED : jurisdictions;
        Map<String, Jurisdiction> byCode = new LinkedHashMap<>(base.byCode());
        change.jurisdictions().forEach((code, jurisdiction) ->
                jurisdiction.ifPresentOrElse(j -> byCode.put(code, j), () -> byCode.remove(code)));
        Jurisdictions merged = new Jurisdictions(byCode, change.defaultJurisdiction().orElse(base.defaultCode()));
        return new Policies(change.defaultTimezone().orElse(defaultTimezone), windows,
                change.frequencyCaps().orElse(frequencyCaps), merged);
    }

    public Policies withJurisdictions(Jurisdictions replacement) {
        return new Policies(defaultTimezone, quietHours, frequencyCaps, replacement);
    }
}
