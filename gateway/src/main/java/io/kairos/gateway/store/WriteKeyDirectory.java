package io.kairos.gateway.store;

import io.kairos.gateway.domain.IngestionSource;
import io.kairos.gateway.domain.WriteKey;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Finds the source of a presented write key. Every ingestion request asks, so answers
 * (unknown keys included) are cached in memory for a short time; revoking through this
 * instance forgets the key at once.
 */
@ApplicationScoped
public class WriteKeyDirectory {

    @Inject
    SourceRepository sources;

    @Inject
    @CacheName("write-keys")
    Cache cache;

    public Uni<Optional<IngestionSource>> find(String presentedKey) {
        String hash = WriteKey.hashOf(presentedKey);
        return cache.getAsync(hash, h -> sources.findActiveByWriteKeyHash(h)
                .map(source -> Optional.ofNullable(source)
                        .map(s -> new IngestionSource(s.workspace, s.id, s.channel))));
    }

    public Uni<Void> forget(String writeKeyHash) {
        return cache.invalidate(writeKeyHash);
    }
}
