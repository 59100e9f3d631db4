package io.kairos.gateway.store;

import io.kairos.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Per-source token buckets in Redis, shared by every gateway instance: refilled continuously
 * at the configured rate, one token per message. The bucket maths run inside Redis, on Redis's
 * clock, so two instances never both spend the last token and their clocks need not agree.
 * <p>
 * Redis unreachable or slow: the request goes through unlimited. Losing the limiter for a while
 * is better than refusing every customer's events; the counter
 * {@code kairos_gateway_rate_limit_unavailable_total} shows when it happened.
 */
@ApplicationScoped
public class IngestionRateLimiter {

    private static final Logger LOG = Logger.getLogger(IngestionRateLimiter.class);

    /** Answers 0 when the messages are admitted, else the milliseconds until they would be. */
    private static final String TAKE = """
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local cost = math.min(tonumber(ARGV[3]), burst)
            local clock = redis.call('TIME')
            local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1]) or burst
            local at = tonumber(state[2]) or now
            tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
            local wait = 0
            if tokens >= cost then
              tokens = tokens - cost
            else
              wait = math.ceil((cost - tokens) * 1000 / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
            return wait
            """;

    private final ReactiveRedisDataSource redis;
    private final GatewayConfig.RateLimit config;
    private final Counter unavailable;

    public IngestionRateLimiter(ReactiveRedisDataSource redis, GatewayConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.config = config.rateLimit();
        this.unavailable = metrics.counter("kairos.gateway.rate.limit.unavailable");
    }

    /** Empty when the source may send {@code messages} now, else how long it should wait. */
    public Uni<Duration> take(String sourceId, int messages) {
        if (!config.enabled()) {
            return Uni.createFrom().nullItem();
        }
        return redis.execute("EVAL", TAKE, "1", "kairos:gateway:rate:{" + sourceId + "}",
                        Integer.toString(config.eventsPerSecond()), Integer.toString(config.burst()),
                        Integer.toString(messages))
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(waitMs -> waitMs.toLong() == 0 ? (Duration) null : Duration.ofMillis(waitMs.toLong()))
                .onFailure().recoverWithItem(failure -> {
                    unavailable.increment();
                    LOG.warnf("rate limit not applied, Redis did not answer: %s", failure.toString());
                    return null;
                });
    }
}
