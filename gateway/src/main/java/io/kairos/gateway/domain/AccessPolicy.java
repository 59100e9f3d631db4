package io.kairos.gateway.domain;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.kairos.gateway.domain.Permission.*;

/**
 * Who may do what, where: the role x permission x workspace decision of the admin API.
 * A caller's roles add up; the workspace must be one its token grants.
 */
public final class AccessPolicy {

    private static final Map<Role, Set<Permission>> ALLOWED = new EnumMap<>(Role.class);
    static {
        ALLOWED.put(Role.ADMIN, EnumSet.allOf(Permission.class));
        ALLOWED.put(Role.MARKETER, EnumSet.of(READ_WORKSPACE, READ_SOURCES, WRITE_SOURCES, READ_PROFILES,
                READ_CONSENTS, READ_SEGMENTS, WRITE_SEGMENTS, READ_TRIGGERS, WRITE_TRIGGERS, READ_POLICIES));
        ALLOWED.put(Role.ANALYST, EnumSet.of(READ_WORKSPACE, READ_SOURCES, READ_PROFILES, READ_CONSENTS,
                READ_SEGMENTS, READ_TRIGGERS, READ_POLICIES));
        ALLOWED.put(Role.PRIVACY_OFFICER, EnumSet.of(READ_WORKSPACE, READ_PROFILES, DELETE_PROFILES, READ_CONSENTS,
                WRITE_CONSENTS, READ_POLICIES, WRITE_POLICIES, HANDLE_PRIVACY_REQUESTS));
    }

    public AccessDecision decide(Caller caller, Permission permission, String workspace) {
        if (!permits(caller, permission)) {
            return AccessDecision.ROLE_DENIED;
        }
        return caller.mayEnter(workspace) ? AccessDecision.GRANTED : AccessDecision.WORKSPACE_DENIED;
    }

    /** Whether some role of the caller carries the permission, whatever the workspace. */
    public boolean permits(Caller caller, Permission permission) {
        return caller.roles().stream().anyMatch(role -> ALLOWED.get(role).contains(permission));
    }
}
