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
import io.kairos.consent.domain.PolicyUpdate;
import io.kairos.consent.domain.Proof;
import io.kairos.consent.domain.ProfileConsents;
import io.kairos.consent.domain.Workspace;
import io.kairos.consent.store.ConsentFacts;
import io.kairos.consent.store.ConsentLedger;
import io.kairos.consent.store.ProfileContexts;
import io.kairos.consent.store.PolicyStore;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.temporal.ChronoUnit;
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
                        .asTuple()
                        .map(known -> ConsentMessages.decision(check.subject().profileId(), policy.decide(check.query(),
                                known.getItem1().recipient().withEventTimezone(ProfileContexts.zone(request.getEventTimezone())),
                                known.getItem2(), known.getItem1().consents().history()))));
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
        }).flatMap(batch -> facts.policies(batch.workspace()).flatMap(policies -> Multi.createFrom()
                .iterable(batch.subjects())
                .onItem().transformToUniAndConcatenate(subject -> facts.facts(subject)
                        .map(known -> ConsentMessages.decision(subject.profileId(), policy.decide(batch.query(),
                                known.recipient(), policies, known.consents().history()))))
                .collect().asList()
                .map(decisions -> CheckBatchResponse.newBuilder().addAllDecisions(decisions).build())));
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
                        .onFailure(InvalidConsentInput.class)
                        .transform(failure -> InvalidArgumentStatus.of((InvalidConsentInput) failure))
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
                .onFailure(InvalidConsentInput.class)
                .transform(failure -> InvalidArgumentStatus.of((InvalidConsentInput) failure));
    }

    private record Check(ConsentSubject subject, ConsentQuery query) {
    }

    private record BatchCheck(Workspace workspace, List<ConsentSubject> subjects, ConsentQuery query) {
    }
}
