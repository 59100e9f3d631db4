package io.kairos.gateway.store;

import io.kairos.gateway.domain.IngestionSource;
import io.kairos.gateway.domain.WriteKey;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Finds the source of a presented write key. Every ingestion request asks, so answers
 * (unknown keys included) are cached in memory for a short time.
 * <p>
 * Revoking or rotating a key on any instance is broadcast on a Redis channel, and every
 * instance forgets the key as soon as it hears it, well within a second. Should an instance
 * miss the broadcast (Redis away at that moment), the cache's expiry still ends the key's life.
 */
@ApplicationScoped
public class WriteKeyDirectory {

    static final String REVOCATIONS = "kairos:gateway:write-key-revocations";

    private static final Logger LOG = Logger.getLogger(WriteKeyDirectory.class);

    /** What a key grants; a key replaced by a rotation grants it only until {@code expiresAt}. */
    private record Grant(IngestionSource source, Instant expiresAt) {
    }

    @Inject
    SourceRepository sources;

    @Inject
    @CacheName("write-keys")
    Cache cache;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    Clock clock;

    void listenForRevocations(@Observes StartupEvent started) {
        redis.pubsub(String.class)
                .subscribe(REVOCATIONS, hash -> cache.invalidate(hash).subscribe().with(
                        ignored -> LOG.debugf("forgot revoked write key %s", hash),
                        failure -> LOG.warnf("could not forget write key %s: %s", hash, failure)))
                .subscribe().with(
                        subscriber -> LOG.debug("listening for write-key revocations"),
                        failure -> LOG.warnf("not listening for write-key revocations (cache expiry applies): %s",
                                failure.toString()));
    }

    public Uni<Optional<IngestionSource>> find(String presentedKey) {
        String hash = WriteKey.hashOf(presentedKey);
        return cache.<String, Optional<Grant>>getAsync(hash, h -> sources.findActiveByWriteKeyHash(h, clock.instant())
                        .map(source -> Optional.ofNullable(source).map(s -> grant(s, h))))
                .map(grant -> grant
                        .filter(g -> g.expiresAt() == null || clock.instant().isBefore(g.expiresAt()))
                        .map(Grant::source));
    }

    /** Makes every instance forget what it cached for the key: after a revocation or a rotation. */
    public Uni<Void> forget(String writeKeyHash) {
        return cache.invalidate(writeKeyHash)
                .chain(() -> redis.pubsub(String.class).publish(REVOCATIONS, writeKeyHash))
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .onFailure().invoke(failure -> LOG.warnf(
                        "revocation of write key %s not broadcast, other instances forget it when their cache expires: %s",
                        writeKeyHash, failure.toString()))
                .onFailure().recoverWithNull();
    }

    private static Grant grant(SourceEntity source, String hash) {
        boolean previousKey = hash.equals(source.previousWriteKeyHash);
        return new Grant(new IngestionSource(source.workspace, source.id, source.channel),
                previousKey ? source.previousKeyExpiresAt : null);
    }
}
