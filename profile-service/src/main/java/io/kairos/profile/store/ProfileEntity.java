package io.kairos.profile.store;

import io.kairos.profile.domain.ProfileState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "profile")
public class ProfileEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String workspace;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> traits;

    /** Trait -> when it got its value (ISO-8601). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "trait_times", nullable = false)
    public Map<String, String> traitTimes;

    @Column(name = "first_seen", nullable = false)
    public Instant firstSeen;

    @Column(name = "last_seen", nullable = false)
    public Instant lastSeen;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    // Two instances resolving events of one person at once must not overwrite each other's traits.
    @Version
    @Column(nullable = false)
    public long version;

    static ProfileEntity create(String workspace, Instant now) {
        ProfileEntity profile = new ProfileEntity();
        profile.id = UUID.randomUUID();
        profile.workspace = workspace;
        profile.traits = Map.of();
        profile.traitTimes = Map.of();
        profile.createdAt = now;
        return profile;
    }

    ProfileState state() {
        return new ProfileState(traits, parsedTimes(traitTimes), firstSeen, lastSeen);
    }

    /** trait_times as stored (ISO-8601) -> as the domain holds them. */
    static Map<String, Instant> parsedTimes(Map<String, String> stored) {
        Map<String, Instant> times = new HashMap<>();
        stored.forEach((trait, time) -> times.put(trait, Instant.parse(time)));
        return times;
    }

    /** The domain's trait times -> as stored. */
    static Map<String, String> storedTimes(Map<String, Instant> times) {
        Map<String, String> stored = new HashMap<>();
        times.forEach((trait, time) -> stored.put(trait, time.toString()));
        return stored;
    }

    void apply(ProfileState state, Instant now) {
        traits = new LinkedHashMap<>(state.traits());
        traitTimes = storedTimes(state.traitTimes());
        firstSeen = state.firstSeen();
        lastSeen = state.lastSeen();
        updatedAt = now;
    }
}
