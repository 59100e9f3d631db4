package io.kairos.consent.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Decides a {@link ConsentQuery} from a profile's ledger.
 *
 * <p>Precedence: among the records for the asked purpose whose channel is the asked channel or
 * {@code all}, and that were recorded at or before the asked instant, the latest one decides
 * (ties on the millisecond go to the record appended last). A specific channel gets no
 * priority over {@code all}: the profile's most recent statement wins, so "unsubscribe from
 * everything" overrides an older email opt-in, and a later email opt-in re-opens only email.
 * {@code granted} allows; {@code denied} and {@code revoked} deny.
 *
 * <p>Without a matching record the opt-out default applies: allowed, except that {@code sms}
 * needs express consent and {@code sensitive} data needs opt-in, so those are denied.
 */
public final class ConsentPolicy {

    public static final String LATEST_RECORD = "ledger.latest_record";
    public static final String OPT_OUT_DEFAULT = "default.opt_out";
    public static final String SENSITIVE_OPT_IN = "default.sensitive_opt_in";
    public static final String SMS_EXPRESS_CONSENT = "default.sms_express_consent";

    public ConsentDecision decide(ConsentQuery query, Collection<ConsentEntry> ledger) {
        return ledger.stream()
                .filter(entry -> entry.purpose() == query.purpose())
                .filter(entry -> entry.channel().covers(query.channel()))
                .filter(entry -> !entry.recordedAt().isAfter(query.at()))
                .max(ConsentEntry.LEDGER_ORDER)
                .map(ConsentPolicy::fromRecord)
                .orElseGet(() -> byDefault(query));
    }

    private static ConsentDecision fromRecord(ConsentEntry entry) {
        String reason = "consent " + entry.status().wireName() + " for " + entry.scope() + " at " + entry.recordedAt()
                + (entry.source().isBlank() ? "" : " (source " + entry.source() + ")");
        List<String> rules = List.of(LATEST_RECORD);
        return entry.status().permits() ? new ConsentDecision.Allow(reason, rules) : new ConsentDecision.Deny(reason, rules);
    }

    private static ConsentDecision byDefault(ConsentQuery query) {
        List<String> rules = new ArrayList<>();
        List<String> requirements = new ArrayList<>();
        if (query.purpose() == Purpose.SENSITIVE) {
            rules.add(SENSITIVE_OPT_IN);
            requirements.add("sensitive data requires opt-in consent");
        }
        if (query.channel() == Channel.SMS) {
            rules.add(SMS_EXPRESS_CONSENT);
            requirements.add("sms requires express consent");
        }
        if (rules.isEmpty()) {
            return new ConsentDecision.Allow("no consent record; opt-out default", List.of(OPT_OUT_DEFAULT));
        }
        return new ConsentDecision.Deny("no consent record; " + String.join(" and ", requirements), rules);
    }
}
