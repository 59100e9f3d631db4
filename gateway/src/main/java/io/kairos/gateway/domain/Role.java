package io.kairos.gateway.domain;

import java.util.Optional;

/** Realm roles of the admin API, as Keycloak names them. */
public enum Role {
    ADMIN("admin"),
    MARKETER("marketer"),
    ANALYST("analyst"),
    PRIVACY_OFFICER("privacy-officer");

    private final String realmName;

    Role(String realmName) {
        this.realmName = realmName;
    }

    public String realmName() {
        return realmName;
    }

    /** Tokens carry other roles too (offline_access, default-roles-...): those are not ours. */
    public static Optional<Role> fromRealmName(String name) {
        for (Role role : values()) {
            if (role.realmName.equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
