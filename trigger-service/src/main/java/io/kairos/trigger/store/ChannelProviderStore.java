package io.kairos.trigger.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.ChannelProvider;
import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The workspaces' channel providers. A send asks for its channel's through a short cache
 * ({@code quarkus.cache.caffeine.channel-providers}), which a change on this instance clears at once.
 */
@ApplicationScoped
public class ChannelProviderStore {

    private final Pool pool;
    private final ObjectMapper json;

    public ChannelProviderStore(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    @CacheResult(cacheName = "channel-providers")
    public Uni<Optional<ChannelProvider>> of(String workspace, Channel channel) {
        return pool.preparedQuery("select settings_json from channel_provider where workspace = $1 and channel = $2")
                .execute(Tuple.of(workspace, channel.wireName()))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(read(channel, rows.iterator().next().getString("settings_json")))
                        : Optional.empty());
    }

    public Uni<Map<Channel, ChannelProvider>> all(String workspace) {
        return pool.preparedQuery("select channel, settings_json from channel_provider where workspace = $1")
                .execute(Tuple.of(workspace))
                .map(rows -> {
                    Map<Channel, ChannelProvider> providers = new EnumMap<>(Channel.class);
                    for (Row row : rows) {
                        Channel.fromWireName(row.getString("channel")).ifPresent(channel ->
                                providers.put(channel, read(channel, row.getString("settings_json"))));
                    }
                    return providers;
                });
    }

    @CacheInvalidate(cacheName = "channel-providers")
    public Uni<Void> put(@CacheKey String workspace, @CacheKey Channel channel, ChannelProvider provider, Instant at) {
        return pool.preparedQuery("""
                        insert into channel_provider (workspace, channel, settings_json, updated_at) values ($1, $2, $3, $4)
                        on conflict (workspace, channel) do update set settings_json = excluded.settings_json,
                                                                       updated_at = excluded.updated_at""")
                .execute(Tuple.of(workspace, channel.wireName(), write(provider), OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    @CacheInvalidate(cacheName = "channel-providers")
    public Uni<Boolean> delete(@CacheKey String workspace, @CacheKey Channel channel) {
        return pool.preparedQuery("delete from channel_provider where workspace = $1 and channel = $2")
                .execute(Tuple.of(workspace, channel.wireName()))
                .map(rows -> rows.rowCount() > 0);
    }

    private ChannelProvider read(Channel channel, String settingsJson) {
        try {
            return ChannelProvider.parse(channel, json.readValue(settingsJson, Object.class), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored provider settings are not JSON", e);
        }
    }

    private String write(ChannelProvider provider) {
        try {
            return json.writeValueAsString(provider.stored());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("provider settings always serialise", e);
        }
    }
}
