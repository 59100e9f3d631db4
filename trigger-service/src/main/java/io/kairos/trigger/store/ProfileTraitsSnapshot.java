package io.kairos.trigger.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Map;

/**
 * The latest traits of each profile as seen on {@code kairos.events.resolved}, so that segment
 * enter/exit firings (whose message carries no traits) can still address {@code {profile.firstName}}
 * without calling profile-service. It trails the stream: a membership change may be handled before
 * the event that caused it. Keys hash-tag the profile for Redis Cluster.
 */
@ApplicationScoped
public class ProfileTraitsSnapshot {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final ObjectMapper json;

    public ProfileTraitsSnapshot(ReactiveRedisDataSource redis, ObjectMapper json) {
        this.values = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.json = json;
    }

    public Uni<Void> remember(String workspace, String profileId, String traitsJson) {
        return values.set(key(workspace, profileId), traitsJson);
    }

    /** Deleted or merged-away profiles: their traits must not outlive them here. */
    public Uni<Void> forget(String workspace, Collection<String> profileIds) {
        if (profileIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return keys.del(profileIds.stream().map(id -> key(workspace, id)).toArray(String[]::new)).replaceWithVoid();
    }

    /** The profile's traits, or an empty object when none were seen yet. */
    public Uni<Map<String, Object>> traitsOf(String workspace, String profileId) {
        return values.get(key(workspace, profileId)).map(this::parse);
    }

    private Map<String, Object> parse(String traitsJson) {
        if (traitsJson == null) {
            return Map.of();
        }
        try {
            return json.readValue(traitsJson, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable traits snapshot", e);
        }
    }

    static String key(String workspace, String profileId) {
        return "kairos:trigger:traits:{" + workspace + ":" + profileId + "}";
    }
}
