package io.kairos.gateway.domain;

/** What a caller of the admin API may be allowed to do inside one workspace. */
public enum Permission {
    READ_WORKSPACE,
    CREATE_WORKSPACE,
    READ_SOURCES,
    WRITE_SOURCES,
    READ_PROFILES,
    DELETE_PROFILES,
    MERGE_PROFILES,
    WRITE_IDENTITY_RULES,
    READ_CONSENTS,
    WRITE_CONSENTS,
    READ_SEGMENTS,
    WRITE_SEGMENTS,
    READ_TRIGGERS,
    WRITE_TRIGGERS,
    /** Set the workspace's email, sms and push providers, whose credentials send on the workspace's behalf. */
    WRITE_PROVIDERS,
    READ_POLICIES,
    WRITE_POLICIES,
    /** Submit and follow data subject requests (delete, suppress, export); an export holds all of a person's data. */
    HANDLE_PRIVACY_REQUESTS
}
