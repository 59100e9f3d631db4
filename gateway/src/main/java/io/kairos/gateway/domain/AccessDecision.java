package io.kairos.gateway.domain;

public enum AccessDecision {
    GRANTED,
    /** None of the caller's roles carries the permission. */
    ROLE_DENIED,
    /** The role would allow it, but not in this workspace. */
    WORKSPACE_DENIED
}
