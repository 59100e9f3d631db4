package io.kairos.consent.api;

import io.kairos.api.consent.CheckBatchRequest;
import io.kairos.api.consent.CheckBatchResponse;
import io.kairos.api.consent.CheckRequest;
import io.kairos.api.consent.ConsentRecord;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.GetConsentsRequest;
import io.kairos.api.consent.GetConsentsResponse;
import io.kairos.api.consent.GetPoliciesRequest;
import io.kairos.api.consent.GetPrivacyRequestRequest;
import io.kairos.api.consent.ListPrivacyRequestsRequest;
import io.kairos.api.consent.ListPrivacyRequestsResponse;
import io.kairos.api.consent.PrivacyOutcome;
import io.kairos.api.consent.PrivacyRequestStatus;
import io.kairos.api.consent.SubmitPrivacyRequestRequest;
import io.kairos.api.consent.MutinyConsentServiceGrpc;
import io.kairos.api.consent.SetConsentRequest;
import io.kairos.api.consent.UpdatePoliciesRequest;
import io.kairos.api.consent.WorkspacePolicies;
import io.kairos.consent.domain.ConsentChange;
import io.kairos.consent.domain.ConsentPolicy;
import io.kairos.consent.domain.ConsentQuery;
import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.InvalidConsentInput;
import io.kairos.consent.domain.Policies;
import io.kairos.consent.domain.PolicyUpdate;
import io.kairos.consent.domain.PrivacyProgress;
import io.kairos.consent.domain.PrivacyRequest;
import io.kairos.consent.domain.PrivacyRequestSubmission;
import io.kairos.consent.domain.Proof;
import io.kairos.consent.domain.ServiceReport;
import io.kairos.consent.domain.UnknownPrivacyRequest;
import io.kairos.consent.domain.ProfileConsents;
import io.kairos.consent.domain.SubjectFacts;
import io.kairos.consent.domain.Workspace;
import io.kairos.consent.store.ConsentFacts;
import io.kairos.consent.store.ConsentLedger;
import io.kairos.consent.store.ProfileContexts;
import io.kairos.consent.store.PolicyStore;
import io.kairos.consent.store.PrivacyRequests;
import io.kairos.consent.stream.PrivacyRequestFanOut;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** gRPC ConsentService: validates, reads or appends the ledger, decides from cached facts; keeps workspace policies. */
@GrpcService
public class ConsentGrpcService extends MutinyConsentServiceGrpc.ConsentServiceImplBase {

    private static final Logger LOG = Logger.getLogger(ConsentGrpcService.class);

    private final ConsentPolicy policy = new ConsentPolicy();

    /** Enough for a trigger's audience page; bounds the work one request can ask for. */
    static final int MAX_BATCH = 1000;
    /** Privacy requests per page at most. */
    static final int MAX_PAGE = 500;
    /** How long a submission waits for Kafka before leaving the publish to the relay. */
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(2);

    @Inject
    ConsentLedger ledger;

    @Inject
    ConsentFacts facts;

    @Inject
    PolicyStore policies;

    @Inject
    PrivacyRequests privacyRequests;

    @Inject
    PrivacyRequestFanOut fanOut;

    @Inject
    Clock clock;

    /** The services whose reports complete a privacy request. */
    @ConfigProperty(name = "kairos.privacy.services")
    List<String> privacyServices;

    @Override
    public Uni<ConsentRecord> setConsent(SetConsentRequest request) {
        // The wire carries milliseconds; stamping at that precision keeps stored and reported times equal.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return validated(() -> ConsentChange.parse(request.getWorkspace(), request.getProfileId(),
                request.getPurpose(), request.getChannel(), request.getStatus(), request.getSource(),
                Proof.parse(request.getFormId(), request.getIp(), request.getUserAgent()), request.getExpiresAtMs(), now))
                .flatMap(change -> ledger.append(change, now)
                        .invoke(() -> facts.forget(change.subject().workspace(), change.subject().profileId()))
                        .map(entry -> ConsentMessages.record(change.subject(), entry)));
    }

    @Override
    public Uni<GetConsentsResponse> getConsents(GetConsentsRequest request) {
        return validated(() -> ConsentSubject.parse(request.getWorkspace(), request.getProfileId()))
                .flatMap(subject -> ledger.profile(subject).map(consents -> response(subject, consents)));
    }

    @Override
    public Uni<Decision> check(CheckRequest request) {
        return validated(() -> new Check(
                ConsentSubject.parse(request.getWorkspace(), request.getProfileId()),
                ConsentQuery.parse(request.getPurpose(), request.getChannel(), request.getAtMs(),
                        request.getIgnoreQuietHours(), clock.instant())))
                .flatMap(check -> Uni.combine().all()
                        .unis(facts.facts(check.subject()), facts.policies(new Workspace(check.subject().workspace())))
                        .with((known, policies) -> decision(check.subject(), check.query(), known,
                                ProfileContexts.zone(request.getEventTimezone()), policies)));
    }

    @Override
    public Uni<CheckBatchResponse> checkBatch(CheckBatchRequest request) {
        return validated(() -> {
            Workspace workspace = Workspace.parse(request.getWorkspace());
            if (request.getProfileIdsCount() > MAX_BATCH) {
                throw new InvalidConsentInput("BATCH_TOO_LARGE", "profileIds",
                        request.getProfileIdsCount() + " profile ids; at most " + MAX_BATCH + " per batch");
            }
            List<ConsentSubject> subjects = new ArrayList<>();
            for (int i = 0; i < request.getProfileIdsCount(); i++) {
                subjects.add(ConsentSubject.parse(workspace.id(), request.getProfileIds(i)));
            }
            ConsentQuery query = ConsentQuery.parse(request.getPurpose(), request.getChannel(), request.getAtMs(),
                    request.getIgnoreQuietHours(), clock.instant());
            return new BatchCheck(workspace, subjects, query);
        }).flatMap(batch -> Uni.combine().all()
                .unis(facts.facts(batch.subjects()), facts.policies(batch.workspace()))
                .with((known, policies) -> CheckBatchResponse.newBuilder()
                        .addAllDecisions(batch.subjects().stream().map(subject -> decision(subject, batch.query(),
                                known.get(subject), Optional.empty(), policies)).toList())
                        .build()));
    }

    private Decision decision(ConsentSubject subject, ConsentQuery query, SubjectFacts known,
                              Optional<ZoneId> eventTimezone, Policies policies) {
        return ConsentMessages.decision(subject.profileId(), policy.decide(query,
                known.recipient().withEventTimezone(eventTimezone), policies, known.consents().history()));
    }

    @Override
    public Uni<WorkspacePolicies> getPolicies(GetPoliciesRequest request) {
        return validated(() -> Workspace.parse(request.getWorkspace()))
                .flatMap(workspace -> policies.current(workspace)
                        .map(revision -> ConsentMessages.policies(workspace, revision)));
    }

    @Override
    public Uni<WorkspacePolicies> updatePolicies(UpdatePoliciesRequest request) {
        byte[] sent = request.getPoliciesJson().toByteArray();
        return validated(() -> PolicyUpdate.parse(request.getWorkspace(), sent, request.getUpdatedBy()))
                .flatMap(update -> policies.update(update, sent, clock.instant().truncatedTo(ChronoUnit.MILLIS))
                        // Jurisdictions that contradict each other show only once merged into the current ones.
                        .onFailure(InvalidConsentInput.class).transform(ConsentGrpcService::invalidArgument)
                        .invoke(() -> facts.forget(update.workspace().id(), ""))
                        .map(revision -> ConsentMessages.policies(update.workspace(), revision)));
    }

    @Override
    public Uni<PrivacyRequestStatus> submitPrivacyRequest(SubmitPrivacyRequestRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (request.getExistingOnly()) {
            return validated(() -> PrivacyRequestSubmission.parse(request.getWorkspace(), request.getProfileId(),
                    request.getKind(), request.getRequestedBy(), request.getNote()))
                    .flatMap(submission -> privacyRequests.latest(submission.subject(), submission.kind())
                            .map(latest -> latest.orElseThrow(() -> new UnknownPrivacyRequest(submission.subject().workspace(),
                                    submission.kind().wireName() + " of " + submission.subject().profileId()))))
                    .call(file -> file.progress() == PrivacyProgress.FAILED && file.request().completedAt().isEmpty()
                            ? publishSoon(file.request()) : Uni.createFrom().voidItem())
                    .map(file -> ConsentMessages.privacyRequest(file, clock.instant(), false, false))
                    .onFailure(UnknownPrivacyRequest.class).transform(ConsentGrpcService::notFound);
        }
        return validated(() -> PrivacyRequestSubmission.parse(request.getWorkspace(), request.getProfileId(),
                request.getKind(), request.getRequestedBy(), request.getNote()))
                .flatMap(submission -> Uni.combine().all()
                        .unis(facts.facts(submission.subject()), facts.policies(new Workspace(submission.subject().workspace())))
                        .with((known, policies) -> PrivacyRequest.open(UUID.randomUUID(), submission,
                                policies.jurisdictions().governing(known.recipient().place()), now, privacyServices)))
                .flatMap(privacyRequests::submit)
                .flatMap(submitted -> privacyRequests.file(submitted.request().subject().workspace(), submitted.request().id())
                        // Asked again while a service's report is a failure: every service is asked to try again.
                        .call(file -> submitted.created() || file.progress() == PrivacyProgress.FAILED
                                ? publishSoon(file.request()) : Uni.createFrom().voidItem())
                        .map(file -> ConsentMessages.privacyRequest(file, clock.instant(), false, submitted.created())));
    }

    /**
     * Stored is what counts: a request Kafka did not take within a moment is published by the relay,
     * so a slow broker never turns a recorded request into a failed call.
     */
    private Uni<Void> publishSoon(PrivacyRequest request) {
        return fanOut.publish(request)
                .ifNoItem().after(PUBLISH_WAIT).fail()
                .onFailure().invoke(e -> LOG.warnf("privacy request %s is stored but not yet published: %s", request.id(),
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }

    @Override
    public Uni<PrivacyRequestStatus> getPrivacyRequest(GetPrivacyRequestRequest request) {
        return validated(() -> new RequestKey(Workspace.parse(request.getWorkspace()), PrivacyRequest.parseId(request.getRequestId())))
                .flatMap(key -> privacyRequests.file(key.workspace().id(), key.id()))
                .map(file -> ConsentMessages.privacyRequest(file, clock.instant(), true, false))
                .onFailure(UnknownPrivacyRequest.class).transform(ConsentGrpcService::notFound);
    }

    @Override
    public Uni<ListPrivacyRequestsResponse> listPrivacyRequests(ListPrivacyRequestsRequest request) {
        Instant now = clock.instant();
        return validated(() -> new PrivacyPage(Workspace.parse(request.getWorkspace()), pageLimit(request.getLimit()),
                pageCursor(request.getPageToken())))
                .flatMap(page -> privacyRequests.list(page.workspace().id(), request.getOverdueOnly(), now, page.limit() + 1,
                                page.after())
                        .map(files -> {
                            ListPrivacyRequestsResponse.Builder response = ListPrivacyRequestsResponse.newBuilder();
                            files.stream().limit(page.limit()).forEach(file ->
                                    response.addRequests(ConsentMessages.privacyRequest(file, now, false, false)));
                            if (files.size() > page.limit()) {
                                PrivacyRequest last = files.get(page.limit() - 1).request();
                                response.setNextPageToken(Base64.getUrlEncoder().withoutPadding().encodeToString(
                                        (last.requestedAt().toEpochMilli() + "/" + last.id()).getBytes(StandardCharsets.UTF_8)));
                            }
                            return response.build();
                        }));
    }

    @Override
    public Uni<PrivacyRequestStatus> reportPrivacyOutcome(PrivacyOutcome outcome) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        byte[] export = outcome.getExportJson().toByteArray();
        return validated(() -> new RequestKey(Workspace.parse(outcome.getWorkspace()), PrivacyRequest.parseId(outcome.getRequestId())))
                .flatMap(key -> privacyRequests.report(key.workspace().id(), key.id(), stored -> ServiceReport.parse(stored.kind(),
                        stored.services(), outcome.getService(), outcome.getOutcome(), outcome.getDetail(), export, now)))
                .map(file -> ConsentMessages.privacyRequest(file, clock.instant(), false, false))
                .onFailure(InvalidConsentInput.class).transform(ConsentGrpcService::invalidArgument)
                .onFailure(UnknownPrivacyRequest.class).transform(ConsentGrpcService::notFound);
    }

    private static int pageLimit(int asked) {
        if (asked < 0 || asked > MAX_PAGE) {
            throw new InvalidConsentInput("INVALID_LIMIT", "limit", "limit must be between 1 and " + MAX_PAGE + ", got " + asked);
        }
        return asked == 0 ? 100 : asked;
    }

    private static Optional<PrivacyRequests.PageCursor> pageCursor(String token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("/", 2);
            return Optional.of(new PrivacyRequests.PageCursor(Instant.ofEpochMilli(Long.parseLong(parts[0])), UUID.fromString(parts[1])));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException malformed) {
            throw new InvalidConsentInput("INVALID_PAGE_TOKEN", "pageToken", "pageToken is not one this API handed out");
        }
    }

    private static Throwable notFound(Throwable failure) {
        return Status.NOT_FOUND.withDescription(failure.getMessage()).asRuntimeException();
    }

    private record RequestKey(Workspace workspace, UUID id) {
    }

    private record PrivacyPage(Workspace workspace, int limit, Optional<PrivacyRequests.PageCursor> after) {
    }

    private static GetConsentsResponse response(ConsentSubject subject, ProfileConsents consents) {
        GetConsentsResponse.Builder response = GetConsentsResponse.newBuilder();
        consents.current().forEach(entry -> response.addCurrent(ConsentMessages.record(subject, entry)));
        consents.history().forEach(entry -> response.addHistory(ConsentMessages.record(subject, entry)));
        return response.build();
    }

    private static <T> Uni<T> validated(Supplier<T> parse) {
        return Uni.createFrom().item(parse)
                .onFailure(InvalidConsentInput.class).transform(ConsentGrpcService::invalidArgument);
    }

    private static Throwable invalidArgument(Throwable failure) {
        return InvalidArgumentStatus.of((InvalidConsentInput) failure);
    }

    private record Check(ConsentSubject subject, ConsentQuery query) {
    }

    private record BatchCheck(Workspace workspace, List<ConsentSubject> subjects, ConsentQuery query) {
    }
}
