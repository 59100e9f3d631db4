package io.kairos.consent.api;

import com.google.protobuf.ByteString;
import io.kairos.api.consent.ConsentRecord;
import io.kairos.api.consent.Decision;
import io.kairos.api.consent.WorkspacePolicies;
import io.kairos.consent.domain.ConsentDecision;
import io.kairos.consent.domain.ConsentEntry;
import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.PoliciesJson;
import io.kairos.consent.domain.PolicyRevision;
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
}
