package io.kairos.consent.api;

import io.kairos.api.consent.CheckBatchRequest;
import io.kairos.api.consent.CheckBatchResponse;
import io.kairos.api.consent.CheckRequest;
import io.kairos.api.consent.ConsentRecord;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.GetConsentsRequest;
import io.kairos.api.consent.GetConsentsResponse;
import io.kairos.api.consent.GetPoliciesRequest;
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
import io.kairos.consent.domain.Proof;
import io.kairos.consent.domain.ProfileConsents;
import io.kairos.consent.domain.SubjectFacts;
import io.kairos.consent.domain.Workspace;
import io.kairos.consent.store.ConsentFacts;
import io.kairos.consent.store.ConsentLedger;
import io.kairos.consent.store.ProfileContexts;
import io.kairos.consent.store.PolicyStore;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** gRPC ConsentService: validates, reads or appends the ledger, decides from cached facts; keeps workspace policies. */
@GrpcService
public class ConsentGrpcService extends MutinyConsentServiceGrpc.ConsentServiceImplBase {

    private final ConsentPolicy policy = new ConsentPolicy();

    /** Enough for a trigger's audience page; bounds the work one request can ask for. */
    static final int MAX_BATCH = 1000;

    @Inject
    ConsentLedger ledger;

    @Inject
    ConsentFacts facts;

    @Inject
    PolicyStore policies;

    @Inject
    Clock clock;

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
