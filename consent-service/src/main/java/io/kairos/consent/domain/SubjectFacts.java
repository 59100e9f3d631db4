package io.kairos.consent.domain;

/** What a Check needs to know of one profile: its ledger and where it is. */
public record SubjectFacts(ProfileConsents consents, Recipient recipient) {
}
