package io.kairos.consent.domain;

/** A validated request to append one record to the ledger. */
public record ConsentChange(ConsentSubject subject, Purpose purpose, Channel channel, ConsentStatus status, String source) {

    /** Validates in request-field order, so the first field at fault is the one reported. */
    public static ConsentChange parse(String workspace, String profileId, String purpose, String channel,
                                      String status, String source) {
        ConsentSubject subject = ConsentSubject.parse(workspace, profileId);
        return new ConsentChange(subject,
                Purpose.parse(purpose, "purpose"),
                Channel.parse(channel, "channel"),
                ConsentStatus.parse(status, "status"),
                TextField.optional(source, "source"));
    }
}
