package io.kairos.consent.store;

import io.kairos.consent.domain.ConsentChange;

import java.time.Instant;

/** A ledger record read from a resolved event: which event, and when the person made the statement. */
public record EventConsent(ConsentChange change, String messageId, Instant recordedAt) {
}
