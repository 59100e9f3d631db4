package io.kairos.consent.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The consent statements an event makes, as ledger records to append:
 * <ul>
 * <li>Segment's consent object, {@code context.consent.categoryPreferences} ({@code {"Advertising": true,
 * "Analytics": false}}): each category Kairos knows becomes a record for its purpose on every
 * channel, but only when it says something new, since analytics.js repeats it on every event.</li>
 * <li>A {@code Consent Updated} track (or Segment's {@code Segment Consent Preference Updated}): an
 * explicit statement, always recorded. Its properties are either {@code categoryPreferences} or
 * one record: {@code purpose}, {@code channel} (default {@code all}), {@code status},
 * {@code expiresAt} (ISO-8601), {@code formId}.</li>
 * <li>{@code context.gpc: true} (the gateway's reading of {@code Sec-GPC: 1}): an opt-out of
 * {@code sale_share}, recorded as a GPC record whose weight the jurisdiction decides. Recorded
 * again only if a grant made before the last GPC record is in force; a grant given after it stands,
 * as the CCPA regulations let a consumer confirm a sale despite the signal (§ 7025(c)(3)).</li>
 * </ul>
 * Proof on each record: the event's {@code context.ip} and {@code context.userAgent}.
 */
public final class ConsentSignals {

    public static final String CONSENT_UPDATED = "Consent Updated";
    public static final String SEGMENT_CONSENT_UPDATED = "Segment Consent Preference Updated";

    /** Consent-management platforms' category names (OneTrust, Segment's examples) and the purpose each stands for. */
    private static final Map<String, Purpose> CATEGORIES = Map.ofEntries(
            Map.entry("analytics", Purpose.ANALYTICS), Map.entry("performance", Purpose.ANALYTICS),
            Map.entry("statistics", Purpose.ANALYTICS), Map.entry("measurement", Purpose.ANALYTICS),
            Map.entry("personalization", Purpose.PERSONALIZATION), Map.entry("personalisation", Purpose.PERSONALIZATION),
            Map.entry("functional", Purpose.PERSONALIZATION), Map.entry("preferences", Purpose.PERSONALIZATION),
            Map.entry("marketing", Purpose.MARKETING),
            Map.entry("advertising", Purpose.SALE_SHARE), Map.entry("targeting", Purpose.SALE_SHARE),
            Map.entry("saleshare", Purpose.SALE_SHARE),
            Map.entry("sensitive", Purpose.SENSITIVE));

    private ConsentSignals() {
    }

    /**
     * The records to append for one event, given the ledger as it stands before it.
     *
     * @throws InvalidConsentInput when a Consent Updated event cannot be read as a statement
     */
    public static List<ConsentChange> read(ConsentSubject subject, String type, String event, Instant at,
                                           JsonNode payload, ProfileConsents ledger) {
        JsonNode context = payload.path("context");
        Proof proof = new Proof("", bounded(context.path("ip").asText("")), bounded(context.path("userAgent").asText("")));
        Pending changes = new Pending(ledger, at);
        boolean explicit = "track".equals(type)
                && (CONSENT_UPDATED.equals(event) || SEGMENT_CONSENT_UPDATED.equals(event));
        if (explicit) {
            JsonNode properties = payload.path("properties");
            if (properties.has("categoryPreferences")) {
                categories(subject, properties.get("categoryPreferences"), proof, true, changes);
            } else {
                changes.add(statement(subject, properties, proof));
            }
        }
        JsonNode preferences = context.path("consent").path("categoryPreferences");
        if (preferences.isObject()) {
            categories(subject, preferences, proof, explicit, changes);
        }
        if (context.path("gpc").asBoolean(false) && gpcIsNews(changes.view())) {
            changes.add(new ConsentChange(subject, Purpose.SALE_SHARE, Channel.ALL, ConsentStatus.DENIED,
                    "Sec-GPC", Origin.GPC, proof, Optional.empty()));
        }
        return changes.changes;
    }

    private static void categories(ConsentSubject subject, JsonNode preferences, Proof proof,
                                   boolean always, Pending changes) {
        if (!preferences.isObject()) {
            if (always) {
                throw new InvalidConsentInput("WRONG_TYPE", "properties/categoryPreferences",
                        "categoryPreferences must be an object of category -> true/false");
            }
            return;
        }
        for (Map.Entry<String, JsonNode> category : preferences.properties()) {
            Purpose purpose = CATEGORIES.get(category.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", ""));
            if (purpose == null || !category.getValue().isBoolean()) {
                continue;
            }
            ConsentStatus status = category.getValue().booleanValue() ? ConsentStatus.GRANTED : ConsentStatus.DENIED;
            boolean alreadySaid = changes.changes.stream()
                    .anyMatch(c -> c.purpose() == purpose && c.channel() == Channel.ALL && c.origin() != Origin.GPC);
            if (alreadySaid || (!always && latestStatement(changes.view(), purpose).map(ConsentEntry::status)
                    .orElse(null) == status)) {
                continue;
            }
            changes.add(new ConsentChange(subject, purpose, Channel.ALL, status,
                    "categoryPreferences." + bounded(category.getKey()), Origin.EVENT, proof, Optional.empty()));
        }
    }

    private static ConsentChange statement(ConsentSubject subject, JsonNode properties, Proof proof) {
        Purpose purpose = Purpose.parse(textOrNull(properties, "purpose"), "properties/purpose");
        String channelText = textOrNull(properties, "channel");
        Channel channel = channelText == null ? Channel.ALL : Channel.parse(channelText, "properties/channel");
        ConsentStatus status = ConsentStatus.parse(textOrNull(properties, "status"), "properties/status");
        Optional<Instant> expiresAt = Optional.empty();
        String expiry = textOrNull(properties, "expiresAt");
        if (expiry != null) {
            if (!status.permits()) {
                throw new InvalidConsentInput("EXPIRY_NOT_ALLOWED", "properties/expiresAt", "only a granted consent expires");
            }
            try {
                expiresAt = Optional.of(Instant.parse(expiry));
            } catch (DateTimeParseException e) {
                throw new InvalidConsentInput("INVALID_TIMESTAMP", "properties/expiresAt",
                        "expiresAt '" + bounded(expiry) + "' is not an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
        }
        String formId = bounded(properties.path("formId").asText(""));
        return new ConsentChange(subject, purpose, channel, status, CONSENT_UPDATED, Origin.EVENT,
                new Proof(formId, proof.ip(), proof.userAgent()), expiresAt);
    }

    /** Whether a GPC signal would change anything: see the class comment. */
    private static boolean gpcIsNews(List<ConsentEntry> ledger) {
        Optional<ConsentEntry> latest = saleShare(ledger).max(ConsentEntry.LEDGER_ORDER);
        if (latest.isEmpty()) {
            return true;
        }
        if (latest.get().origin() == Origin.GPC) {
            return false;
        }
        boolean signalledBefore = saleShare(ledger).anyMatch(e -> e.origin() == Origin.GPC);
        return !(latest.get().status().permits() && signalledBefore);
    }

    private static Stream<ConsentEntry> saleShare(List<ConsentEntry> ledger) {
        return ledger.stream().filter(e -> e.purpose() == Purpose.SALE_SHARE && e.channel() == Channel.ALL);
    }

    /** The latest statement (not a GPC signal) for purpose on every channel. */
    private static Optional<ConsentEntry> latestStatement(List<ConsentEntry> ledger, Purpose purpose) {
        return ledger.stream()
                .filter(e -> e.purpose() == purpose && e.channel() == Channel.ALL && e.origin() != Origin.GPC)
                .max(ConsentEntry.LEDGER_ORDER);
    }

    /** The records this event appends so far, and the ledger as it would read with them. */
    private static final class Pending {
        private final ProfileConsents ledger;
        private final Instant at;
        private final List<ConsentChange> changes = new ArrayList<>();

        Pending(ProfileConsents ledger, Instant at) {
            this.ledger = ledger;
            this.at = at;
        }

        void add(ConsentChange change) {
            changes.add(change);
        }

        List<ConsentEntry> view() {
            List<ConsentEntry> view = new ArrayList<>(ledger.history());
            for (int i = 0; i < changes.size(); i++) {
                ConsentChange c = changes.get(i);
                view.add(new ConsentEntry(c.purpose(), c.channel(), c.status(), c.source(), c.origin(), c.proof(), at,
                        c.expiresAt(), Long.MAX_VALUE - changes.size() + i));
            }
            return view;
        }
    }

    private static String textOrNull(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String bounded(String text) {
        return text.length() <= TextField.MAX_LENGTH ? text : text.substring(0, TextField.MAX_LENGTH);
    }
}
