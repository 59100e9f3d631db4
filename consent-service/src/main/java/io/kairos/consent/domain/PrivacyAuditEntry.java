package io.kairos.consent.domain;

import java.time.Instant;

/** One line of a privacy request's audit log: who did what to it, and when. */
public record PrivacyAuditEntry(Instant at, String actor, String action, String detail) {
}
