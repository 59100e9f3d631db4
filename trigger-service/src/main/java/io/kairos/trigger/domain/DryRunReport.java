package io.kairos.trigger.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a trigger would do for one profile now, and why: the checks a firing goes through, in the
 * order it meets them, each with its verdict, and what follows from them. Status, entry and re-entry
 * decide at once; a trigger that waits is asked the rest again when the firing is due, so then the
 * outcome is the wait and the later checks show how things stand now.
 */
public record DryRunReport(Outcome outcome, String reason, Instant at, Channel channel, Optional<RenderedMessage> message,
                           List<Check> checks) {

    public enum Outcome {
        SEND, WAIT, DEFER, SKIP, NO_ENTRY;

        public String wireName() {
            return name().toLowerCase();
        }
    }

    public enum Verdict {
        PASS, FAIL, WAIT, DEFER;

        public String wireName() {
            return name().toLowerCase();
        }
    }

    /** The steps that decide before any wait; a failure there means the firing never starts. */
    private static final List<String> AT_ENTRY = List.of(Check.STATUS, Check.ENTRY, Check.REENTRY);

    public record Check(String check, Verdict verdict, String detail, Instant until) {

        public static final String STATUS = "status";
        public static final String ENTRY = "entry";
        public static final String REENTRY = "reentry";
        public static final String WAIT = "wait";
        public static final String AUDIENCE = "audience";
        public static final String FREQUENCY_CAP = "frequency_cap";
        public static final String CONSENT = "consent";
        public static final String TEMPLATE = "template";

        public static Check pass(String check, String detail) {
            return new Check(check, Verdict.PASS, detail, null);
        }

        public static Check fail(String check, String detail) {
            return new Check(check, Verdict.FAIL, detail, null);
        }
    }

    /** The outcome the checks, in order, lead to at {@code now}. */
    public static DryRunReport of(List<Check> checks, Channel channel, Optional<RenderedMessage> message, Instant now) {
        for (Check check : checks) {
            if (AT_ENTRY.contains(check.check()) && check.verdict() == Verdict.FAIL) {
                Outcome outcome = check.check().equals(Check.REENTRY) ? Outcome.SKIP : Outcome.NO_ENTRY;
                return new DryRunReport(outcome, check.detail(), now, channel, message, checks);
            }
        }
        Optional<Check> wait = checks.stream().filter(check -> check.verdict() == Verdict.WAIT).findFirst();
        if (wait.isPresent()) {
            return new DryRunReport(Outcome.WAIT, wait.get().detail(), wait.get().until(), channel, message, checks);
        }
        Optional<Check> failed = checks.stream().filter(check -> check.verdict() == Verdict.FAIL).findFirst();
        if (failed.isPresent()) {
            return new DryRunReport(Outcome.SKIP, failed.get().detail(), now, channel, message, checks);
        }
        Optional<Check> deferred = checks.stream().filter(check -> check.verdict() == Verdict.DEFER).findFirst();
        return deferred.map(check -> new DryRunReport(Outcome.DEFER, check.detail(), check.until(), channel, message, checks))
                .orElseGet(() -> new DryRunReport(Outcome.SEND, "", now, channel, message, checks));
    }
}
