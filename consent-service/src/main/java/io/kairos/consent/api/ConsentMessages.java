package io.kairos.consent.api;

import com.google.protobuf.ByteString;
import io.kairos.api.consent.ConsentRecord;
import io.kairos.api.consent.PrivacyAuditEntry;
import io.kairos.api.consent.PrivacyRequestStatus;
import io.kairos.api.consent.ServiceProgress;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.WorkspacePolicies;
import io.kairos.consent.domain.ConsentDecision;
import io.kairos.consent.domain.ConsentEntry;
import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.PoliciesJson;
import io.kairos.consent.domain.PolicyRevision;
import io.kairos.consent.domain.PrivacyRequest;
import io.kairos.consent.domain.PrivacyRequestFile;
import io.kairos.consent.domain.ServiceReport;
import io.kairos.consent.store.PrivacyRequests;
import io.kairos.consent.domain.Workspace;

import java.time.Instant;

/** Domain values as the messages of consent.proto. */
final class ConsentMessages {

    private ConsentMessages() {
    }

    static ConsentRecord record(ConsentSubject subject, ConsentEntry entry) {
        return ConsentRecord.newBuilder()
                .setWorkspace(subject.workspace())
                .setProfileId(subject.profileId())
                .setPurpose(entry.purpose().wireName())
                .setChannel(entry.channel().wireName())
                .setStatus(entry.status().wireName())
                .setSource(entry.source())
                .setRecordedAtMs(entry.recordedAt().toEpochMilli())
                .setOrigin(entry.origin().wireName())
                .setFormId(entry.proof().formId())
                .setIp(entry.proof().ip())
                .setUserAgent(entry.proof().userAgent())
                .setExpiresAtMs(entry.expiresAt().map(Instant::toEpochMilli).orElse(0L))
                .build();
    }

    static Decision decision(String profileId, ConsentDecision decision) {
        Decision.Builder message = Decision.newBuilder().setProfileId(profileId);
        switch (decision) {
            case ConsentDecision.Allow allow -> message.setVerdict(Decision.Verdict.ALLOW);
            case ConsentDecision.Deny deny -> message.setVerdict(Decision.Verdict.DENY);
            case ConsentDecision.Defer defer -> message.setVerdict(Decision.Verdict.DEFER)
                    .setDeferUntilMs(defer.until().toEpochMilli());
        }
        return message
                .setReason(decision.reason())
                .addAllRules(decision.rules())
                .build();
    }

    static WorkspacePolicies policies(Workspace workspace, PolicyRevision revision) {
        return WorkspacePolicies.newBuilder()
                .setWorkspace(workspace.id())
                .setPoliciesJson(ByteString.copyFrom(PoliciesJson.write(revision.policies())))
                .setVersion(revision.version())
                .setUpdatedAtMs(revision.updatedAt().map(Instant::toEpochMilli).orElse(0L))
                .setUpdatedBy(revision.updatedBy())
                .build();
    }

    /** A request as the API shows it; the export's data only when asked for and complete. */
    static PrivacyRequestStatus privacyRequest(PrivacyRequestFile file, Instant now, boolean withExport, boolean created) {
        PrivacyRequest request = file.request();
        PrivacyRequestStatus.Builder status = PrivacyRequestStatus.newBuilder()
                .setWorkspace(request.subject().workspace())
                .setRequestId(request.id().toString())
                .setProfileId(request.subject().profileId())
                .setKind(request.kind().wireName())
                .setRequestedBy(request.requestedBy())
                .setRequestedAtMs(request.requestedAt().toEpochMilli())
                .setNote(request.note())
                .setJurisdiction(request.jurisdiction())
                .setDeadlineMs(request.deadline().toEpochMilli())
                .setState(file.progress().wireName())
                .setCompletedAtMs(request.completedAt().map(Instant::toEpochMilli).orElse(0L))
                .setOverdue(file.overdue(now))
                .setCreated(created);
        file.progressByService().forEach((service, report) -> status.addServices(ServiceProgress.newBuilder()
                .setService(service)
                .setState(report.map(r -> r.outcome().wireName()).orElse("pending"))
                .setDetail(report.map(ServiceReport::detail).orElse(""))
                .setReportedAtMs(report.map(r -> r.reportedAt().toEpochMilli()).orElse(0L))));
        file.audit().forEach(entry -> status.addAudit(PrivacyAuditEntry.newBuilder()
                .setAtMs(entry.at().toEpochMilli())
                .setActor(entry.actor())
                .setAction(entry.action())
                .setDetail(entry.detail())));
        if (withExport) {
            PrivacyRequests.export(file).ifPresent(data -> status.setExportJson(ByteString.copyFromUtf8(data.toString())));
        }
        return status.build();
    }
}
