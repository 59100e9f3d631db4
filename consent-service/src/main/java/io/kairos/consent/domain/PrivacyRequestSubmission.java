package io.kairos.consent.domain;

/** A privacy request as asked, validated; it becomes a {@link PrivacyRequest} once its deadline is known. */
public record PrivacyRequestSubmission(ConsentSubject subject, PrivacyRequestKind kind, String requestedBy, String note) {

    public static PrivacyRequestSubmission parse(String workspace, String profileId, String kind, String requestedBy,
                                                 String note) {
        return new PrivacyRequestSubmission(ConsentSubject.parse(workspace, profileId), PrivacyRequestKind.parse(kind),
                TextField.required(requestedBy, "requestedBy"), TextField.optional(note, "note"));
    }
}
