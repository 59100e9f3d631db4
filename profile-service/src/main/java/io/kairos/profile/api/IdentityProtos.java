package io.kairos.profile.api;

import io.kairos.api.common.Identifier;
import io.kairos.api.profile.DroppedIdentifier;
import io.kairos.api.profile.GraphIdentifier;
import io.kairos.api.profile.IdentityGraph;
import io.kairos.api.profile.IdentityRules;
import io.kairos.api.profile.MergedProfile;
import io.kairos.profile.store.IdentityGraphView;
import io.kairos.profile.store.WorkspaceIdentityRules;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Identity rules and graphs between their protobuf and domain forms; rules are validated on the way in. */
final class IdentityProtos {

    static final int MAX_TYPE_LENGTH = 64;
    static final int MAX_TYPES = 50;
    static final int MAX_BLOCKED_VALUES = 500;
    static final int MAX_BLOCKED_VALUE_LENGTH = 256;

    private IdentityProtos() {
    }

    static IdentityRules toProto(WorkspaceIdentityRules.Versioned versioned) {
        io.kairos.profile.domain.IdentityRules rules = versioned.rules();
        return IdentityRules.newBuilder()
                .putAllLimits(new TreeMap<>(rules.limits()))
                .addAllPriority(rules.priority())
                .addAllBlockedValues(new TreeSet<>(rules.blockedValues()))
                .setVersion(versioned.version())
                .build();
    }

    /** @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT naming the field at fault */
    static io.kairos.profile.domain.IdentityRules fromProto(IdentityRules rules) {
        if (rules.getLimitsCount() > MAX_TYPES || rules.getPriorityCount() > MAX_TYPES) {
            throw GrpcFailure.invalidArgument("INVALID_IDENTITY_RULES", "/rules",
                    "at most " + MAX_TYPES + " identifier types may have a limit or a priority");
        }
        for (Map.Entry<String, Integer> limit : rules.getLimitsMap().entrySet()) {
            requireType(limit.getKey(), "/rules/limits");
            if (limit.getValue() < 1) {
                throw GrpcFailure.invalidArgument("INVALID_IDENTITY_RULES", "/rules/limits/" + limit.getKey(),
                        "the limit of " + limit.getKey() + " must be at least 1, got " + limit.getValue());
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < rules.getPriorityCount(); i++) {
            String type = rules.getPriority(i);
            if (!io.kairos.profile.domain.IdentityRules.OTHER_TYPES.equals(type)) {
                requireType(type, "/rules/priority/" + i);
            }
            if (!seen.add(type)) {
                throw GrpcFailure.invalidArgument("INVALID_IDENTITY_RULES", "/rules/priority/" + i,
                        type + " appears twice in the priority");
            }
        }
        if (rules.getBlockedValuesCount() > MAX_BLOCKED_VALUES) {
            throw GrpcFailure.invalidArgument("INVALID_IDENTITY_RULES", "/rules/blockedValues",
                    "at most " + MAX_BLOCKED_VALUES + " blocked values");
        }
        for (int i = 0; i < rules.getBlockedValuesCount(); i++) {
            if (rules.getBlockedValues(i).length() > MAX_BLOCKED_VALUE_LENGTH) {
                throw GrpcFailure.invalidArgument("INVALID_IDENTITY_RULES", "/rules/blockedValues/" + i,
                        "a blocked value has at most " + MAX_BLOCKED_VALUE_LENGTH + " characters");
            }
        }
        return new io.kairos.profile.domain.IdentityRules(rules.getLimitsMap(), rules.getPriorityList(),
                Set.copyOf(rules.getBlockedValuesList()));
    }

    private static void requireType(String type, String field) {
        if (type.isBlank() || type.length() > MAX_TYPE_LENGTH || !type.strip().equals(type)) {
            throw GrpcFailure.invalidArgument("INVALID_IDENTITY_RULES", field,
                    "an identifier type is a name of 1 to " + MAX_TYPE_LENGTH + " characters without surrounding blanks, got '"
                            + type + "'");
        }
    }

    static IdentityGraph toProto(IdentityGraphView view) {
        IdentityGraph.Builder graph = IdentityGraph.newBuilder()
                .setWorkspace(view.workspace())
                .setProfileId(view.profileId().toString());
        view.identifiers().forEach(held -> graph.addIdentifiers(GraphIdentifier.newBuilder()
                .setIdentifier(identifier(held.identifierType, held.identifierValue))
                .setAddedAtMs(held.createdAt.toEpochMilli())));
        view.merged().forEach(alias -> graph.addMerged(MergedProfile.newBuilder()
                .setProfileId(alias.mergedId.toString())
                .setCause(alias.causeMessageId)
                .setMergedAtMs(alias.mergedAt.toEpochMilli())));
        view.dropped().forEach(drop -> graph.addDropped(DroppedIdentifier.newBuilder()
                .setIdentifier(identifier(drop.identifierType, drop.identifierValue))
                .setMessageId(drop.messageId)
                .setReason(drop.reason)
                .setDetail(drop.detail)
                .setDroppedAtMs(drop.droppedAt.toEpochMilli())));
        return graph.build();
    }

    private static Identifier identifier(String type, String value) {
        return Identifier.newBuilder().setType(type).setValue(value).build();
    }
}
