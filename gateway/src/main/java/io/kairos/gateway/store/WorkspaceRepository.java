package io.kairos.gateway.store;

import io.kairos.gateway.domain.WorkspaceDefinition;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class WorkspaceRepository implements PanacheRepositoryBase<WorkspaceEntity, String> {

    @WithSession
    public Uni<WorkspaceEntity> byId(String id) {
        return findById(id);
    }

    @WithSession
    public Uni<List<WorkspaceEntity>> listAllById() {
        return listAll(Sort.by("id"));
    }

    /** Null when a workspace with this id exists already. */
    @WithTransaction
    public Uni<WorkspaceEntity> create(WorkspaceDefinition definition, Instant now) {
        return findById(definition.id()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().nullItem();
            }
            WorkspaceEntity workspace = new WorkspaceEntity();
            workspace.id = definition.id();
            workspace.name = definition.name();
            workspace.timezone = definition.timezone().getId();
            workspace.createdAt = now;
            return persist(workspace);
        });
    }

    /** Two admins creating the same workspace at once: the loser's insert hits the primary key. */
    public static boolean isDuplicateKey(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
