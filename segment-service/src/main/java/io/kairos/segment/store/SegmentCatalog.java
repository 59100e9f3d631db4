package io.kairos.segment.store;

import io.kairos.segment.domain.SegmentDefinition;
import io.kairos.segment.domain.SegmentDependencies;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import io.vertx.pgclient.PgException;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Segment definitions and their dependency index, through Hibernate Reactive Panache. */
@ApplicationScoped
public class SegmentCatalog {

    private static final String INSERT_DEPENDENCY =
            "insert into segment_dependency (workspace, kind, name, segment_id) values (?1, ?2, ?3, ?4)";
    private static final String DELETE_DEPENDENCIES =
            "delete from segment_dependency where workspace = ?1 and segment_id = ?2";

    @Inject
    Clock clock;

    /**
     * Stores a validated definition as version 1 together with its dependency index rows, in one
     * transaction.
     *
     * @throws SegmentNameTakenException (as the Uni's failure) when the name is used in the workspace
     */
    public Uni<SegmentEntity> create(String workspace, SegmentDefinition definition) {
        Instant now = clock.instant();
        SegmentEntity segment = new SegmentEntity();
        segment.id = UUID.randomUUID().toString();
        segment.workspace = workspace;
        segment.name = definition.name();
        segment.version = 1;
        segment.definitionJson = definition.canonicalJson();
        segment.createdAt = now;
        segment.updatedAt = now;
        List<String[]> dependencies = dependencyRows(SegmentDependencies.of(definition.condition()));
        return Panache.withTransaction(() -> SegmentEntity.count("workspace = ?1 and name = ?2", workspace, definition.name())
                        .chain(existing -> {
                            if (existing > 0) {
                                return Uni.createFrom().failure(new SegmentNameTakenException(definition.name()));
                            }
                            return segment.<SegmentEntity>persistAndFlush();
                        })
                        .call(stored -> insertDependencies(workspace, stored.id, dependencies)))
                // Two concurrent creates with one name both pass the count; the unique constraint decides.
                .onFailure(SegmentCatalog::isUniqueViolation)
                .transform(e -> new SegmentNameTakenException(definition.name()));
    }

    /**
     * Replaces a segment's definition by a validated one as the next version, and its dependency index
     * rows with it, in one transaction. The segment's row stays locked until then, so concurrent
     * updates (and a deletion) are applied one after the other.
     *
     * @param expectedVersion the version the caller read, or 0 to replace whatever is current
     * @return the updated segment, or null if the workspace has no such segment
     * @throws SegmentVersionConflictException (as the Uni's failure) when the current version is not the expected one
     * @throws SegmentNameTakenException (as the Uni's failure) when another segment of the workspace has the name
     */
    public Uni<SegmentEntity> update(String workspace, String segmentId, SegmentDefinition definition, int expectedVersion) {
        List<String[]> dependencies = dependencyRows(SegmentDependencies.of(definition.condition()));
        return Panache.withTransaction(() -> SegmentEntity.<SegmentEntity>find("workspace = ?1 and id = ?2", workspace, segmentId)
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .firstResult()
                        .chain(segment -> {
                            if (segment == null) {
                                return Uni.createFrom().nullItem();
                            }
                            if (expectedVersion != 0 && segment.version != expectedVersion) {
                                return Uni.createFrom().failure(new SegmentVersionConflictException(expectedVersion, segment.version));
                            }
                            return SegmentEntity.count("workspace = ?1 and name = ?2 and id <> ?3", workspace, definition.name(), segmentId)
                                    .chain(taken -> {
                                        if (taken > 0) {
                                            return Uni.createFrom().failure(new SegmentNameTakenException(definition.name()));
                                        }
                                        segment.name = definition.name();
                                        segment.version = segment.version + 1;
                                        segment.definitionJson = definition.canonicalJson();
                                        segment.updatedAt = clock.instant();
                                        return segment.<SegmentEntity>persistAndFlush();
                                    })
                                    .call(stored -> Panache.getSession().chain(session -> session.createNativeQuery(DELETE_DEPENDENCIES)
                                            .setParameter(1, workspace)
                                            .setParameter(2, segmentId)
                                            .executeUpdate()))
                                    .call(stored -> insertDependencies(workspace, segmentId, dependencies));
                        }))
                // A concurrent create or rename to the same name passes the count too; the unique constraint decides.
                .onFailure(SegmentCatalog::isUniqueViolation)
                .transform(e -> new SegmentNameTakenException(definition.name()));
    }

    public Uni<SegmentEntity> find(String workspace, String segmentId) {
        return Panache.withSession(() -> SegmentEntity.<SegmentEntity>find("workspace = ?1 and id = ?2", workspace, segmentId)
                .firstResult());
    }

    public Uni<List<SegmentEntity>> list(String workspace) {
        return Panache.withSession(() -> SegmentEntity.<SegmentEntity>list("workspace", Sort.by("createdAt").and("id"), workspace));
    }

    private static Uni<Void> insertDependencies(String workspace, String segmentId, List<String[]> dependencies) {
        return Panache.getSession().chain(session -> Multi.createFrom().iterable(dependencies)
                .onItem().transformToUniAndConcatenate(row -> session.createNativeQuery(INSERT_DEPENDENCY)
                        .setParameter(1, workspace)
                        .setParameter(2, row[0])
                        .setParameter(3, row[1])
                        .setParameter(4, segmentId)
                        .executeUpdate())
                .collect().last()
                .replaceWithVoid());
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException
                    || (t instanceof PgException pg && "23505".equals(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }

    private static List<String[]> dependencyRows(SegmentDependencies dependencies) {
        List<String[]> rows = new ArrayList<>();
        dependencies.eventNames().forEach(name -> rows.add(new String[]{"event", name}));
        dependencies.traitNames().forEach(name -> rows.add(new String[]{"trait", name}));
        return rows;
    }
}
