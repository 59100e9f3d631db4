package io.kairos.consent.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A recorded privacy request. Its deadline is set once, when it is submitted, from the jurisdiction
 * governing the profile then; {@code services} are those whose reports complete it.
 */
public record PrivacyRequest(UUID id, ConsentSubject subject, PrivacyRequestKind kind, String requestedBy, String note,
                             String jurisdiction, Instant requestedAt, Instant deadline, List<String> services,
                             Optional<Instant> completedAt) {

    public PrivacyRequest {
        Objects.requireNonNull(id);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(kind);
        services = List.copyOf(services);
        Objects.requireNonNull(completedAt);
        if (deadline.isBefore(requestedAt)) {
            throw new IllegalArgumentException("deadline " + deadline + " before the request " + requestedAt);
        }
    }

    public static PrivacyRequest open(UUID id, PrivacyRequestSubmission submission, Jurisdiction jurisdiction,
                                      Instant now, List<String> services) {
        return new PrivacyRequest(id, submission.subject(), submission.kind(), submission.requestedBy(), submission.note(),
                jurisdiction.code(), now, now.plus(jurisdiction.requestDeadline()), services, Optional.empty());
    }

    /** A request id as the API carries it: a UUID. */
    public static UUID parseId(String raw) {
        try {
            return UUID.fromString(TextField.required(raw, "requestId"));
        } catch (IllegalArgumentException notUuid) {
            throw new InvalidConsentInput("INVALID_REQUEST_ID", "requestId", "requestId must be a UUID, got '" + raw + "'");
        }
    }

    /** Open and past its deadline at {@code now}. */
    public boolean overdue(Instant now) {
        return completedAt.isEmpty() && now.isAfter(deadline);
    }
}
