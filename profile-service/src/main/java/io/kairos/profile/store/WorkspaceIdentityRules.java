package io.kairos.profile.store;

import io.kairos.profile.domain.IdentityRules;
import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Each workspace's identity rules: its own once it set them, the defaults before. Read for every
 * event, so cached; another instance sees a change within the cache's expiry
 * ({@code quarkus.cache.caffeine."identity-rules".expire-after-write}).
 */
@ApplicationScoped
public class WorkspaceIdentityRules implements PanacheRepositoryBase<IdentityRulesEntity, String> {

    @Inject
    Clock clock;

    /** The rules with their version (0 for the defaults). */
    public record Versioned(IdentityRules rules, int version) {
    }

    @CacheResult(cacheName = "identity-rules")
    public Uni<Versioned> of(@CacheKey String workspace) {
        return Panache.withSession(() -> findById(workspace).map(entity -> entity == null
                ? new Versioned(IdentityRules.defaults(), 0)
                : new Versioned(entity.rules(), entity.version)));
    }

    @CacheInvalidate(cacheName = "identity-rules")
    public Uni<Versioned> replace(@CacheKey String workspace, IdentityRules rules, String updatedBy) {
        return Panache.withTransaction(() -> findById(workspace).chain(existing -> {
            IdentityRulesEntity entity = existing != null ? existing : new IdentityRulesEntity();
            entity.workspace = workspace;
            entity.rules(rules);
            entity.version = existing != null ? existing.version + 1 : 1;
            entity.updatedAt = clock.instant();
            entity.updatedBy = updatedBy;
            return (existing != null ? Uni.createFrom().item(entity) : persist(entity))
                    .map(saved -> new Versioned(saved.rules(), saved.version));
        }));
    }
}
