package io.kairos.consent.store;

import io.kairos.consent.domain.PoliciesJson;
import io.kairos.consent.domain.PolicyRevision;
import io.kairos.consent.domain.PolicyUpdate;
import io.kairos.consent.domain.Workspace;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Workspace policies in PostgreSQL (V2__workspace_policies.sql): the revision in force per
 * workspace, and an append-only trail of every update. Always within one workspace.
 */
@ApplicationScoped
public class PolicyStore {

    /** First key of the advisory locks taken here, so that they never meet another use of advisory locks. */
    private static final int POLICY_LOCKS = 0x6b_70_6f_6c;

    @Inject
    Pool pool;

    public Uni<PolicyRevision> current(Workspace workspace) {
        return current(pool, workspace);
    }

    /**
     * Applies the update to the revision in force and stores the result as the next version. Updates
     * of one workspace take a transaction-scoped lock first, so concurrent ones apply one after the
     * other, each to the result of the one before: none is lost, and versions never repeat.
     *
     * @param sent the update as the client sent it, for the audit trail
     */
    public Uni<PolicyRevision> update(PolicyUpdate update, byte[] sent, Instant at) {
        String workspace = update.workspace().id();
        return pool.withTransaction(conn -> conn
                .preparedQuery("select pg_advisory_xact_lock($1, hashtext($2))")
                .execute(Tuple.of(POLICY_LOCKS, workspace))
                .chain(() -> current(conn, update.workspace()))
                .map(revision -> revision.next(update.change(), at, update.updatedBy()))
                .call(next -> {
                    String policies = new String(PoliciesJson.write(next.policies()), StandardCharsets.UTF_8);
                    OffsetDateTime updatedAt = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
                    return conn.preparedQuery("""
                                    insert into workspace_policies (workspace, policies, version, updated_at, updated_by)
                                    values ($1, $2::text::jsonb, $3, $4, $5)
                                    on conflict (workspace) do update set policies = excluded.policies,
                                        version = excluded.version, updated_at = excluded.updated_at,
                                        updated_by = excluded.updated_by""")
                            .execute(Tuple.of(workspace, policies, next.version(), updatedAt, next.updatedBy()))
                            .chain(() -> conn.preparedQuery("""
                                            insert into workspace_policies_change
                                                (workspace, version, change, policies, updated_at, updated_by)
                                            values ($1, $2, $3::text::jsonb, $4::text::jsonb, $5, $6)""")
                                    .execute(Tuple.tuple().addString(workspace).addInteger(next.version())
                                            .addString(new String(sent, StandardCharsets.UTF_8)).addString(policies)
                                            .addOffsetDateTime(updatedAt).addString(next.updatedBy())));
                }));
    }

    private static Uni<PolicyRevision> current(SqlClient client, Workspace workspace) {
        return client.preparedQuery("""
                        select policies::text as policies, version, updated_at, updated_by
                        from workspace_policies where workspace = $1""")
                .execute(Tuple.of(workspace.id()))
                .map(rows -> rows.size() == 0 ? PolicyRevision.DEFAULTS : revision(rows.iterator().next()));
    }

    private static PolicyRevision revision(Row row) {
        return new PolicyRevision(PoliciesJson.readStored(row.getString("policies")), row.getInteger("version"),
                Optional.of(row.getOffsetDateTime("updated_at").toInstant()), row.getString("updated_by"));
    }
}
