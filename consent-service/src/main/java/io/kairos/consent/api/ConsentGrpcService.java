package io.kairos.consent.api;

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
import io.kairos.consent.domain.ProfileConsents;
import io.kairos.consent.domain.Workspace;
import io.kairos.consent.store.ConsentLedger;
import io.kairos.consent.store.PolicyStore;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/** gRPC ConsentService: validates, reads or appends the ledger, asks the policy; keeps workspace policies. */
@GrpcService
public class ConsentGrpcService extends MutinyConsentServiceGrpc.ConsentServiceImplBase {

    private final ConsentPolicy policy = new ConsentPolicy();

    @Inject
    ConsentLedger ledger;

    @Inject
    PolicyStore policies;

    @Inject
    Clock clock;

    @Override
    public Uni<ConsentRecord> setConsent(SetConsentRequest request) {
        return validated(() -> ConsentChange.parse(request.getWorkspace(), request.getProfileId(),
                request.getPurpose(), request.getChannel(), request.getStatus(), request.getSource()))
                // The wire carries milliseconds; stamping at that precision keeps stored and reported times equal.
                .flatMap(change -> ledger.append(change, clock.instant().truncatedTo(ChronoUnit.MILLIS))
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
                ConsentQuery.parse(request.getPurpose(), request.getChannel(), request.getAtMs(), clock.instant())))
                .flatMap(check -> ledger.recordsDeciding(check.subject(), check.query())
                        .map(records -> ConsentMessages.decision(policy.decide(check.query(), records))));
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
}
