package io.kairos.profile.store;

import io.kairos.profile.domain.IdentityRules;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A workspace's own identity rules (see V5 migration). */
@Entity
@Table(name = "identity_rules")
public class IdentityRulesEntity {

    @Id
    public String workspace;

    /** {"limits": {...}, "priority": [...], "blockedValues": [...]}: one JSON object, as the reactive driver maps objects. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> rules;

    @Column(nullable = false)
    public int version;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    IdentityRules rules() {
        Map<String, Integer> limits = new LinkedHashMap<>();
        ((Map<?, ?>) rules.get("limits")).forEach((type, limit) -> limits.put((String) type, ((Number) limit).intValue()));
        List<String> priority = ((List<?>) rules.get("priority")).stream().map(String.class::cast).toList();
        Set<String> blocked = ((List<?>) rules.get("blockedValues")).stream().map(String.class::cast).collect(Collectors.toSet());
        return new IdentityRules(limits, priority, blocked);
    }

    void rules(IdentityRules replacement) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("limits", new TreeMap<>(replacement.limits()));
        json.put("priority", List.copyOf(replacement.priority()));
        json.put("blockedValues", List.copyOf(new TreeSet<>(replacement.blockedValues())));
        rules = json;
    }
}
