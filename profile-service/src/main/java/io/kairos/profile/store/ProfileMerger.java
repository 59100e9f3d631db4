package io.kairos.profile.store;

import io.kairos.profile.domain.IdentityGraph;
import io.kairos.profile.domain.IdentityRules;
import io.kairos.profile.domain.ProfileMerge;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.kairos.profile.domain.ProfileState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Merges profiles into a survivor inside the caller's transaction: traits merged (latest value
 * per trait), identifiers, event history, dropped identifiers and earlier aliases re-attached,
 * each absorbed id kept as an alias of the survivor, the absorbed profiles removed. A profile
 * changed or removed meanwhile fails the transaction (version check), and the caller retries.
 */
@ApplicationScoped
public class ProfileMerger {

    private static final Logger LOG = Logger.getLogger(ProfileMerger.class);

    @Inject
    ProfileRepository profiles;

    @Inject
    IdentifierRepository identifiers;

    @Inject
    EventHistoryRepository history;

    @Inject
    DroppedIdentifierRepository droppedIdentifiers;

    @Inject
    ProfileAliasRepository aliases;

    @Inject
    Clock clock;

    /**
     * Merges the profiles (or the survivors they were merged into) into the oldest, in its own
     * transaction. Fails with {@link MergeRefusedException} when that would break a limit of
     * the rules, and with {@link UnknownProfileException} when an id is unknown; answers the same
     * survivor again when they are merged already.
     */
    public Uni<ManualMerge> mergeManually(String workspace, List<UUID> requested, IdentityRules rules, String requestedBy) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> current(workspace, requested).chain(found -> {
            requested.stream().filter(id -> !found.containsKey(id)).findFirst().ifPresent(unknown -> {
                throw new UnknownProfileException(unknown);
            });
            List<UUID> distinct = found.values().stream().distinct().sorted().toList();
            return identifiers.matchedProfiles(workspace, distinct).chain(matched -> {
                IdentityGraph graph = new IdentityGraph(rules);
                graph.limitBrokenByMerging(matched).ifPresent(broken -> {
                    throw new MergeRefusedException("merging " + distinct + " would break the identity rules: " + broken);
                });
                UUID survivor = IdentityGraph.survivorOf(matched).profileId();
                List<UUID> absorbed = distinct.stream().filter(id -> !id.equals(survivor)).toList();
                List<UUID> mergedIds = requested.stream().filter(id -> !id.equals(survivor)).distinct().sorted().toList();
                return profiles.findInWorkspace(workspace, survivor)
                        .chain(entity -> absorbed.isEmpty()
                                ? Uni.createFrom().item(entity)
                                : merge(entity, absorbed, "manual:" + UUID.randomUUID(), now))
                        .invoke(() -> LOG.infof("workspace %s: manual merge of %s into %s asked by %s",
                                workspace, requested, survivor, requestedBy))
                        .map(entity -> new ManualMerge(survivor, mergedIds, entity.traits, now));
            });
        }));
    }

    /** Requested id -> the profile it is now (itself, or the survivor it was merged into); unknown ids left out. */
    private Uni<Map<UUID, UUID>> current(String workspace, List<UUID> requested) {
        return profiles.list("workspace = ?1 and id in ?2", workspace, requested).chain(existing -> aliases
                .list("workspace = ?1 and mergedId in ?2", workspace, requested).map(merged -> {
                    Map<UUID, UUID> current = new HashMap<>();
                    existing.forEach(profile -> current.put(profile.id, profile.id));
                    merged.forEach(alias -> current.put(alias.mergedId, alias.survivorId));
                    return current;
                }));
    }

    /** {@code absorbedIds} sorted, without the survivor; completes with the survivor, updated. */
    public Uni<ProfileEntity> merge(ProfileEntity survivor, List<UUID> absorbedIds, String cause, Instant now) {
        String workspace = survivor.workspace;
        return profiles.list("workspace = ?1 and id in ?2", workspace, absorbedIds).chain(absorbed -> {
            if (absorbed.size() != absorbedIds.size()) {
                return Uni.createFrom().failure(new OptimisticLockException(
                        "a profile to merge into " + survivor.id + " was merged or erased meanwhile"));
            }
            List<ProfileState> states = absorbedIds.stream()
                    .map(id -> absorbed.stream().filter(profile -> profile.id.equals(id)).findFirst().orElseThrow().state())
                    .toList();
            survivor.apply(ProfileMerge.merge(survivor.state(), states), now);
            LOG.infof("workspace %s: profiles %s merged into %s (cause %s)", workspace, absorbedIds, survivor.id, cause);
            return identifiers.update("profileId = ?1 where workspace = ?2 and profileId in ?3", survivor.id, workspace, absorbedIds)
                    .chain(() -> history.moveTo(survivor.id, workspace, absorbedIds))
                    .chain(() -> droppedIdentifiers.update("profileId = ?1 where workspace = ?2 and profileId in ?3", survivor.id, workspace, absorbedIds))
                    .chain(() -> aliases.update("survivorId = ?1 where workspace = ?2 and survivorId in ?3", survivor.id, workspace, absorbedIds))
                    .chain(() -> aliases.persist(absorbedIds.stream().map(id -> alias(workspace, id, survivor.id, cause, now))))
                    .chain(() -> deleteAll(absorbed))
                    .replaceWith(survivor);
        });
    }

    /**
     * A bulk delete with the version read, rather than removing the entities: a stale entity
     * removal left the transaction open and the caller waiting forever (seen with Hibernate
     * Reactive under IdentityConcurrencyTest), while a count we check fails cleanly and is retried.
     */
    private Uni<Void> deleteAll(List<ProfileEntity> absorbed) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ProfileEntity profile : absorbed) {
            chain = chain.chain(() -> profiles.delete("workspace = ?1 and id = ?2 and version = ?3",
                            profile.workspace, profile.id, profile.version)
                    .invoke(deleted -> {
                        if (deleted != 1) {
                            throw new OptimisticLockException("profile " + profile.id + " changed while being merged");
                        }
                    })
                    .replaceWithVoid());
        }
        return chain;
    }

    private static ProfileAliasEntity alias(String workspace, UUID mergedId, UUID survivorId, String cause, Instant now) {
        ProfileAliasEntity alias = new ProfileAliasEntity();
        alias.workspace = workspace;
        alias.mergedId = mergedId;
        alias.survivorId = survivorId;
        alias.causeMessageId = cause;
        alias.mergedAt = now;
        return alias;
    }
}
