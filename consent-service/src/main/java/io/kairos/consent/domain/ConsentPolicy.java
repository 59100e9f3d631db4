package io.kairos.consent.domain;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides a {@link ConsentQuery} for a recipient from the profile's ledger and the workspace's
 * policies.
 *
 * <p>Consent first, under the jurisdiction governing the recipient's place. Among the records for
 * the asked purpose whose channel is the asked channel or {@code all}, and that were recorded at or
 * before the asked instant, the latest one decides (ties on the millisecond go to the record
 * appended last). A specific channel gets no priority over {@code all}: the profile's most recent
 * statement wins, so "unsubscribe from everything" overrides an older email opt-in, and a later
 * email opt-in re-opens only email. {@code granted} allows until it expires; {@code denied} and
 * {@code revoked} deny. A Global Privacy Control record counts only where the jurisdiction honours
 * GPC. Without a record the jurisdiction's model applies: opt-in purposes and express-consent
 * channels are denied, everything else is allowed (opt-out).
 *
 * <p>Then, for an allowed contact, quiet hours: the workspace's window for the channel and the
 * jurisdiction's legal windows, read on the recipient's local clock in every zone the recipient
 * may be in. Inside one, the answer is DEFER to the first instant outside all of them.
 */
public final class ConsentPolicy {

    public static final String LATEST_RECORD = "ledger.latest_record";
    public static final String EXPIRED = "ledger.expired";
    public static final String WORKSPACE_QUIET_HOURS = "workspace.quiet_hours.";

    public ConsentDecision decide(ConsentQuery query, Recipient recipient, Policies policies,
                                  Collection<ConsentEntry> ledger) {
        Jurisdiction jurisdiction = policies.jurisdictions().governing(recipient.place());
        ConsentDecision consent = consent(query, jurisdiction, ledger);
        if (!(consent instanceof ConsentDecision.Allow allowed) || !query.quietHours()) {
            return consent;
        }
        Optional<DeliveryChannel> delivery = query.channel().delivery();
        if (delivery.isEmpty()) {
            return consent;
        }
        List<RuledWindow> windows = new ArrayList<>();
        Optional.ofNullable(policies.quietHours().get(delivery.get())).ifPresent(window ->
                windows.add(new RuledWindow(window, WORKSPACE_QUIET_HOURS + delivery.get().wireName())));
        jurisdiction.quietHours(delivery.get()).forEach(window -> windows.add(new RuledWindow(window,
                jurisdiction.code() + ".quiet_hours." + delivery.get().wireName())));
        if (windows.isEmpty()) {
            return consent;
        }
        Recipient.Zones zones = recipient.zones(policies.defaultTimezone());
        QuietHoursSchedule schedule = new QuietHoursSchedule(zones.zones(),
                windows.stream().map(RuledWindow::window).toList());
        Optional<Instant> first = schedule.firstAllowed(query.at());
        if (first.isPresent() && first.get().equals(query.at())) {
            return consent;
        }
        // Only an instant inside some window gets here: those windows explain the answer.
        List<RuledWindow> holding = windows.stream()
                .filter(w -> zones.zones().stream().anyMatch(zone -> w.window()
                        .endOfOccurrence(LocalDateTime.ofInstant(query.at(), zone)).isPresent()))
                .toList();
        List<String> rules = new ArrayList<>(allowed.rules());
        holding.forEach(w -> rules.add(w.rule()));
        String windowText = holding.stream().map(w -> w.window().toString()).distinct()
                .collect(Collectors.joining(", "));
        String where = delivery.get().wireName() + " quiet hours " + windowText + " in " + zones.source();
        if (first.isEmpty()) {
            return new ConsentDecision.Deny(where + " leave no allowed minute within "
                    + QuietHoursSchedule.HORIZON.toDays() + " days", rules);
        }
        ZoneId shown = zones.zones().getFirst();
        return new ConsentDecision.Defer(first.get(), where + "; deferred to "
                + LocalDateTime.ofInstant(first.get(), shown).format(JsonReading.HH_MM_DATE) + " " + shown, rules);
    }

    private static ConsentDecision consent(ConsentQuery query, Jurisdiction jurisdiction,
                                           Collection<ConsentEntry> ledger) {
        return ledger.stream()
                .filter(entry -> entry.purpose() == query.purpose())
                .filter(entry -> entry.channel().covers(query.channel()))
                .filter(entry -> !entry.recordedAt().isAfter(query.at()))
                .filter(entry -> entry.origin() != Origin.GPC || jurisdiction.honoursGpc())
                .max(ConsentEntry.LEDGER_ORDER)
                .map(entry -> fromRecord(entry, query.at(), jurisdiction))
                .orElseGet(() -> byDefault(query, jurisdiction));
    }

    private static ConsentDecision fromRecord(ConsentEntry entry, Instant at, Jurisdiction jurisdiction) {
        if (entry.origin() == Origin.GPC) {
            return new ConsentDecision.Deny("Global Privacy Control signal at " + entry.recordedAt()
                    + " opts out of " + entry.purpose().wireName() + " under " + jurisdiction.code(),
                    List.of(jurisdiction.code() + ".gpc"));
        }
        String reason = "consent " + entry.status().wireName() + " for " + entry.scope() + " at " + entry.recordedAt()
                + (entry.source().isBlank() ? "" : " (source " + entry.source() + ")");
        if (entry.status().permits() && entry.expiredAt(at)) {
            return new ConsentDecision.Deny(reason + " expired at " + entry.expiresAt().orElseThrow(), List.of(EXPIRED));
        }
        List<String> rules = List.of(LATEST_RECORD);
        return entry.status().permits() ? new ConsentDecision.Allow(reason, rules) : new ConsentDecision.Deny(reason, rules);
    }

    private static ConsentDecision byDefault(ConsentQuery query, Jurisdiction jurisdiction) {
        List<String> rules = new ArrayList<>();
        List<String> requirements = new ArrayList<>();
        if (jurisdiction.optIn().contains(query.purpose())) {
            rules.add(jurisdiction.code() + ".opt_in." + query.purpose().wireName());
            requirements.add(query.purpose().wireName() + " requires opt-in consent");
        }
        if (jurisdiction.expressConsent().contains(query.channel())) {
            rules.add(jurisdiction.code() + ".express_consent." + query.channel().wireName());
            requirements.add(query.channel().wireName() + " requires express consent");
        }
        if (rules.isEmpty()) {
            return new ConsentDecision.Allow("no consent record; opt-out under " + jurisdiction.code(),
                    List.of(jurisdiction.code() + ".opt_out"));
        }
        return new ConsentDecision.Deny("no consent record; " + String.join(" and ", requirements)
                + " under " + jurisdiction.code(), rules);
    }

    private record RuledWindow(QuietHours window, String rule) {
    }
}
