package io.kairos.consent.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The pure rules of privacy requests: deadlines, completion, overdue, and which reports are accepted. */
class PrivacyRequestRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final List<String> SERVICES = List.of("profile-service", "consent-service");

    private static PrivacyRequest open(String jurisdiction) {
        return PrivacyRequest.open(UUID.randomUUID(),
                PrivacyRequestSubmission.parse("ws", "p-1", "delete", "priya", ""),
                Jurisdictions.SEEDED.byCode().get(jurisdiction), NOW, SERVICES);
    }

    @Test
    void theDeadlineIsTheJurisdictionsAnsweringTimeFromSubmission() {
        assertThat(open("US-CA").deadline()).isEqualTo(NOW.plus(Duration.ofDays(45)));
        assertThat(open("EU").deadline()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(open("US-CA").jurisdiction()).isEqualTo("US-CA");
    }

    @Test
    void anOpenRequestIsOverdueOnlyAfterItsDeadline() {
        PrivacyRequest request = open("EU");
        assertThat(request.overdue(request.deadline())).isFalse();
        assertThat(request.overdue(request.deadline().plusMillis(1))).isTrue();
        PrivacyRequest completed = new PrivacyRequest(request.id(), request.subject(), request.kind(), request.requestedBy(),
                request.note(), request.jurisdiction(), request.requestedAt(), request.deadline(), request.services(),
                java.util.Optional.of(request.deadline().plus(Duration.ofDays(3))));
        assertThat(completed.overdue(request.deadline().plus(Duration.ofDays(10)))).isFalse();
    }

    @Test
    void aRequestCompletesWhenEveryServiceIsDoneAndFailsWhileOneFailed() {
        assertThat(PrivacyProgress.of(SERVICES, Map.of())).isEqualTo(PrivacyProgress.PENDING);
        assertThat(PrivacyProgress.of(SERVICES, Map.of("consent-service", ServiceReport.Outcome.DONE)))
                .isEqualTo(PrivacyProgress.PENDING);
        assertThat(PrivacyProgress.of(SERVICES, Map.of("consent-service", ServiceReport.Outcome.DONE,
                "profile-service", ServiceReport.Outcome.FAILED))).isEqualTo(PrivacyProgress.FAILED);
        assertThat(PrivacyProgress.of(SERVICES, Map.of("consent-service", ServiceReport.Outcome.DONE,
                "profile-service", ServiceReport.Outcome.DONE))).isEqualTo(PrivacyProgress.COMPLETED);
    }

    @Test
    void aNewReportReplacesTheServicesPreviousOneInTheFile() {
        PrivacyRequest request = open("EU");
        ServiceReport failed = ServiceReport.parse(PrivacyRequestKind.DELETE, SERVICES, "profile-service", "failed", "db down",
                new byte[0], NOW);
        ServiceReport consentDone = ServiceReport.parse(PrivacyRequestKind.DELETE, SERVICES, "consent-service", "done", "",
                new byte[0], NOW);
        PrivacyRequestFile file = new PrivacyRequestFile(request, List.of(failed, consentDone), List.of());
        assertThat(file.progress()).isEqualTo(PrivacyProgress.FAILED);

        PrivacyRequestFile after = file.withReport(ServiceReport.parse(PrivacyRequestKind.DELETE, SERVICES, "profile-service",
                "done", "erased", new byte[0], NOW.plusSeconds(60)));
        assertThat(after.progress()).isEqualTo(PrivacyProgress.COMPLETED);
        assertThat(after.reports()).hasSize(2);
        assertThat(after.report("profile-service").orElseThrow().detail()).isEqualTo("erased");
    }

    @Test
    void reportsAreCheckedAgainstTheRequest() {
        byte[] none = new byte[0];
        byte[] object = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(PrivacyRequestKind.DELETE, "billing", "done", none)).isEqualTo("UNKNOWN_SERVICE");
        assertThat(refusal(PrivacyRequestKind.DELETE, "profile-service", "partly", none)).isEqualTo("UNKNOWN_OUTCOME");
        assertThat(refusal(PrivacyRequestKind.DELETE, "profile-service", "done", object)).isEqualTo("UNEXPECTED_EXPORT");
        assertThat(refusal(PrivacyRequestKind.EXPORT, "profile-service", "failed", object)).isEqualTo("UNEXPECTED_EXPORT");
        assertThat(refusal(PrivacyRequestKind.EXPORT, "profile-service", "done", none)).isEqualTo("EXPORT_MISSING");
        assertThat(refusal(PrivacyRequestKind.EXPORT, "profile-service", "done", "{".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("INVALID_JSON");
        assertThat(refusal(PrivacyRequestKind.EXPORT, "profile-service", "done", "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("INVALID_JSON");

        ServiceReport first = ServiceReport.parse(PrivacyRequestKind.EXPORT, SERVICES, "profile-service", "done", "ok", object, NOW);
        ServiceReport again = ServiceReport.parse(PrivacyRequestKind.EXPORT, SERVICES, "profile-service", "done", "ok", object,
                NOW.plusSeconds(5));
        ServiceReport changed = ServiceReport.parse(PrivacyRequestKind.EXPORT, SERVICES, "profile-service", "done", "ok",
                "{\"a\": 2}".getBytes(StandardCharsets.UTF_8), NOW);
        assertThat(again.repeats(first)).as("the same report later repeats it").isTrue();
        assertThat(changed.repeats(first)).isFalse();
    }

    @Test
    void aSubmissionNamesItsKindAndWhoAsked() {
        assertThat(catchThrowableOfType(InvalidConsentInput.class,
                () -> PrivacyRequestSubmission.parse("ws", "p-1", "forget", "priya", "")).reason()).isEqualTo("UNKNOWN_KIND");
        assertThat(catchThrowableOfType(InvalidConsentInput.class,
                () -> PrivacyRequestSubmission.parse("ws", "p-1", "delete", " ", "")).field()).isEqualTo("requestedBy");
        assertThat(PrivacyRequestSubmission.parse("ws", "p-1", "suppress", "priya", null).kind().erases()).isTrue();
        assertThat(PrivacyRequestKind.EXPORT.erases()).isFalse();
    }

    private static String refusal(PrivacyRequestKind kind, String service, String outcome, byte[] export) {
        return catchThrowableOfType(InvalidConsentInput.class,
                () -> ServiceReport.parse(kind, SERVICES, service, outcome, "", export, NOW)).reason();
    }
}
