package io.kairos.trigger.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the delivery log: what became of one firing. purpose is that of the action that went out
 * (null for a firing that did not get that far); responseStatus is null when no HTTP answer came.
 */
public record DeliveryRecord(UUID firingId, String workspace, UUID triggerId, String profileId, Channel channel,
                             String purpose, String causeId, DeliveryOutcome outcome, String reason, int attempts,
                             Integer responseStatus, Instant firedAt) {

    public static DeliveryRecord skipped(Firing firing, Channel channel, String reason) {
        return of(firing, channel, null, DeliveryOutcome.SKIPPED, reason, 0, null);
    }

    public static DeliveryRecord deferred(Firing firing, Channel channel, String reason) {
        return of(firing, channel, null, DeliveryOutcome.DEFERRED, reason, 0, null);
    }

    /** What became of the action once it was sent or tried. */
    public static DeliveryRecord of(Firing firing, Action action, DeliveryOutcome outcome, String reason,
                                    int attempts, Integer responseStatus) {
        return of(firing, action.channel(), action.purpose(), outcome, reason, attempts, responseStatus);
    }

    private static DeliveryRecord of(Firing firing, Channel channel, String purpose, DeliveryOutcome outcome,
                                     String reason, int attempts, Integer responseStatus) {
        return new DeliveryRecord(firing.firingId(), firing.workspace(), firing.triggerId(), firing.profileId(),
                channel, purpose, firing.cause().causeId(), outcome, reason, attempts, responseStatus, firing.firedAt());
    }

    /** The log's reason for a consent decision that is not an ALLOW, e.g. "consent: denied (marketing/email)". */
    public static String consentReason(ConsentDecision decision, String purpose, Channel channel) {
        String scope = " (" + purpose + "/" + channel.consentChannel() + ")";
        return switch (decision) {
            case ConsentDecision.Allow ignored -> throw new IllegalArgumentException("an ALLOW has no reason to hold a firing back");
            case ConsentDecision.Deny deny -> "consent: denied" + scope + detail(deny.reason());
            case ConsentDecision.Defer defer -> "consent: deferred until " + defer.until() + scope + detail(defer.reason());
            case ConsentDecision.Rejected rejected -> "consent check rejected: " + rejected.problem();
        };
    }

    private static String detail(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }
}
