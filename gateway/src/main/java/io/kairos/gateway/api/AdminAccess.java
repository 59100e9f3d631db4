package io.kairos.gateway.api;

import io.kairos.gateway.domain.AccessDecision;
import io.kairos.gateway.domain.AccessPolicy;
import io.kairos.gateway.domain.Caller;
import io.kairos.gateway.domain.Permission;
import io.kairos.gateway.domain.Role;
import io.kairos.gateway.store.WorkspaceEntity;
import io.kairos.gateway.store.WorkspaceRepository;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The admin API's gate: who is calling (roles and the {@code workspaces} claim of the
 * Keycloak token), whether the {@link AccessPolicy} lets them, and whether the workspace exists.
 */
@ApplicationScoped
public class AdminAccess {

    static final String WORKSPACES_CLAIM = "workspaces";

    @Inject
    SecurityIdentity identity;

    @Inject
    AccessPolicy policy;

    @Inject
    WorkspaceRepository workspaces;

    public Caller caller() {
        Set<Role> roles = identity.getRoles().stream()
                .map(Role::fromRealmName)
                .flatMap(Optional::stream)
                .collect(Collectors.toSet());
        return new Caller(identity.getPrincipal().getName(), roles, workspaceClaim());
    }

    /**
     * Fails with 403 unless the caller holds {@code permission} in {@code workspace}, then with
     * 404 unless the workspace exists. Access is decided first so that callers learn nothing
     * about workspaces that are not theirs.
     */
    public Uni<WorkspaceEntity> require(String workspace, Permission permission) {
        return Uni.createFrom().item(this::caller)
                .invoke(caller -> requireAllowed(caller, permission, workspace))
                .chain(() -> workspaces.byId(workspace))
                .onItem().ifNull().failWith(() -> new ProblemException(404, "WORKSPACE_NOT_FOUND",
                        "workspace '" + workspace + "' does not exist", null));
    }

    public void requireAllowed(Caller caller, Permission permission, String workspace) {
        AccessDecision decision = policy.decide(caller, permission, workspace);
        switch (decision) {
            case GRANTED -> {
            }
            case ROLE_DENIED -> throw new ProblemException(403, "ROLE_NOT_ALLOWED",
                    "roles " + roleNames(caller) + " may not " + describe(permission), null);
            case WORKSPACE_DENIED -> throw new ProblemException(403, "WORKSPACE_NOT_ALLOWED",
                    "your token does not grant workspace '" + workspace + "'", null);
        }
    }

    public void requirePermitted(Caller caller, Permission permission) {
        if (!policy.permits(caller, permission)) {
            throw new ProblemException(403, "ROLE_NOT_ALLOWED",
                    "roles " + roleNames(caller) + " may not " + describe(permission), null);
        }
    }

    public boolean mayEnter(Caller caller, Permission permission, String workspace) {
        return policy.decide(caller, permission, workspace) == AccessDecision.GRANTED;
    }

    private Set<String> workspaceClaim() {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Set.of();
        }
        Object claim = token.getClaim(WORKSPACES_CLAIM);
        Set<String> granted = new HashSet<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString text) {
                    granted.add(text.getString());
                }
            }
        } else if (claim instanceof Collection<?> values) {
            values.forEach(value -> granted.add(String.valueOf(value)));
        } else if (claim instanceof JsonString text) {
            granted.add(text.getString());
        } else if (claim instanceof String text) {
            granted.add(text);
        }
        return granted;
    }

    private static String roleNames(Caller caller) {
        return caller.roles().stream().map(Role::realmName).sorted().toList().toString();
    }

    private static String describe(Permission permission) {
        return permission.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
