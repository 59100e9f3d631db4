package io.kairos.gateway.domain;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {

    /** The whole matrix, as the product defines it: Y = allowed. Columns follow ROLES. */
    private static final String MATRIX = """
                              admin  marketer  analyst  privacy-officer
            READ_WORKSPACE      Y       Y         Y          Y
            CREATE_WORKSPACE    Y       -         -          -
            READ_SOURCES        Y       Y         Y          -
            WRITE_SOURCES       Y       Y         -          -
            READ_PROFILES       Y       Y         Y          Y
            DELETE_PROFILES     Y       -         -          Y
            MERGE_PROFILES      Y       -         -          -
            WRITE_IDENTITY_RULES Y      -         -          -
            READ_CONSENTS       Y       Y         Y          Y
            WRITE_CONSENTS      Y       -         -          Y
            READ_SEGMENTS       Y       Y         Y          -
            WRITE_SEGMENTS      Y       Y         -          -
            READ_TRIGGERS       Y       Y         Y          -
            WRITE_TRIGGERS      Y       Y         -          -
            WRITE_PROVIDERS     Y       -         -          -
            READ_POLICIES       Y       Y         Y          Y
            WRITE_POLICIES      Y       -         -          Y
            HANDLE_PRIVACY_REQUESTS Y   -         -          Y
            """;
    private static final List<Role> ROLES = List.of(Role.ADMIN, Role.MARKETER, Role.ANALYST, Role.PRIVACY_OFFICER);

    private final AccessPolicy policy = new AccessPolicy();

    @Test
    void the_matrix_names_every_permission_once() {
        List<String> rows = rows().stream().map(row -> row[0]).toList();
        assertThat(rows).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Permission.values()).map(Enum::name).toList());
    }

    @Test
    void every_role_and_permission_is_decided_as_the_matrix_says_in_granted_foreign_and_all_workspaces() {
        SoftAssertions softly = new SoftAssertions();
        for (String[] row : rows()) {
            Permission permission = Permission.valueOf(row[0]);
            for (int column = 0; column < ROLES.size(); column++) {
                Role role = ROLES.get(column);
                boolean allowed = row[column + 1].equals("Y");
                Caller ofDemo = new Caller("u", Set.of(role), Set.of("demo"));
                Caller ofAll = new Caller("u", Set.of(role), Set.of(Caller.EVERY_WORKSPACE));
                String cell = role.realmName() + " x " + permission;

                softly.assertThat(policy.decide(ofDemo, permission, "demo")).as(cell + " in own workspace")
                        .isEqualTo(allowed ? AccessDecision.GRANTED : AccessDecision.ROLE_DENIED);
                softly.assertThat(policy.decide(ofDemo, permission, "acme")).as(cell + " in foreign workspace")
                        .isEqualTo(allowed ? AccessDecision.WORKSPACE_DENIED : AccessDecision.ROLE_DENIED);
                softly.assertThat(policy.decide(ofAll, permission, "acme")).as(cell + " with '*'")
                        .isEqualTo(allowed ? AccessDecision.GRANTED : AccessDecision.ROLE_DENIED);
                softly.assertThat(policy.permits(ofDemo, permission)).as(cell + " permits").isEqualTo(allowed);
            }
        }
        softly.assertAll();
    }

    @Test
    void roles_add_up() {
        Caller analystAndPrivacy = new Caller("u", Set.of(Role.ANALYST, Role.PRIVACY_OFFICER), Set.of("demo"));

        assertThat(policy.decide(analystAndPrivacy, Permission.WRITE_CONSENTS, "demo")).isEqualTo(AccessDecision.GRANTED);
        assertThat(policy.decide(analystAndPrivacy, Permission.READ_SEGMENTS, "demo")).isEqualTo(AccessDecision.GRANTED);
        assertThat(policy.decide(analystAndPrivacy, Permission.WRITE_SEGMENTS, "demo"))
                .isEqualTo(AccessDecision.ROLE_DENIED);
    }

    @Test
    void a_caller_without_kairos_roles_may_do_nothing() {
        Caller nobody = new Caller("u", Set.of(), Set.of(Caller.EVERY_WORKSPACE));

        for (Permission permission : Permission.values()) {
            assertThat(policy.decide(nobody, permission, "demo")).as(permission.name())
                    .isEqualTo(AccessDecision.ROLE_DENIED);
        }
    }

    @Test
    void a_token_without_workspaces_enters_none_not_even_as_admin() {
        Caller admin = new Caller("u", EnumSet.of(Role.ADMIN), Set.of());

        assertThat(policy.decide(admin, Permission.READ_WORKSPACE, "demo")).isEqualTo(AccessDecision.WORKSPACE_DENIED);
        assertThat(policy.decide(admin, Permission.CREATE_WORKSPACE, "new-one"))
                .isEqualTo(AccessDecision.WORKSPACE_DENIED);
    }

    @Test
    void workspace_names_match_exactly() {
        Caller marketer = new Caller("u", Set.of(Role.MARKETER), Set.of("demo"));

        assertThat(policy.decide(marketer, Permission.READ_SEGMENTS, "demo-2")).isEqualTo(AccessDecision.WORKSPACE_DENIED);
        assertThat(policy.decide(marketer, Permission.READ_SEGMENTS, "Demo")).isEqualTo(AccessDecision.WORKSPACE_DENIED);
        assertThat(policy.decide(marketer, Permission.READ_SEGMENTS, "*")).isEqualTo(AccessDecision.WORKSPACE_DENIED);
    }

    private static List<String[]> rows() {
        return MATRIX.lines().skip(1).map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+")).toList();
    }
}
