package io.kairos.gateway.domain;

import java.util.Set;

/**
 * The authenticated user of the admin API: its Kairos roles and the workspaces its token
 * grants ({@value #EVERY_WORKSPACE} = every workspace).
 */
public record Caller(String name, Set<Role> roles, Set<String> workspaces) {

    public static final String EVERY_WORKSPACE = "*";

    public Caller {
        roles = Set.copyOf(roles);
        workspaces = Set.copyOf(workspaces);
    }

    public boolean mayEnter(String workspace) {
        return workspaces.contains(EVERY_WORKSPACE) || workspaces.contains(workspace);
    }
}
