package io.kairos.consent.domain;

/** A validated request to change a workspace's policies. */
public record PolicyUpdate(Workspace workspace, PoliciesChange change, String updatedBy) {

    /** Validates in request-field order, so the first field at fault is the one reported. */
    public static PolicyUpdate parse(String workspace, byte[] policiesJson, String updatedBy) {
        Workspace parsed = Workspace.parse(workspace);
        return new PolicyUpdate(parsed, PoliciesJson.parseChange(policiesJson), TextField.optional(updatedBy, "updatedBy"));
    }
}
