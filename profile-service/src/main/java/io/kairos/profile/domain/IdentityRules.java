package io.kairos.profile.domain;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A workspace's identity-resolution rules.
 *
 * @param limits        the most values of a type one profile may hold; a type not named is unlimited
 * @param priority      identifier types from strongest to weakest; {@value #OTHER_TYPES} stands for
 *                      every type not named (external ids), and a list without it puts them last
 * @param blockedValues placeholder values that are never identifiers, compared trimmed and
 *                      case-insensitively: they would glue every visitor sending them into one profile
 */
public record IdentityRules(Map<String, Integer> limits, List<String> priority, Set<String> blockedValues) {

    public static final String OTHER_TYPES = "*";

    private static final IdentityRules DEFAULTS = new IdentityRules(
            Map.of(Identifier.USER_ID, 1, Identifier.EMAIL, 5, Identifier.PHONE, 5),
            List.of(Identifier.USER_ID, Identifier.EMAIL, Identifier.PHONE, OTHER_TYPES, Identifier.DEVICE_ID,
                    Identifier.ANONYMOUS_ID),
            Set.of("", "null", "undefined", "anonymous", "0", "-1", "unknown", "none", "n/a", "nil",
                    "00000000-0000-0000-0000-000000000000"));

    public IdentityRules {
        limits = Map.copyOf(limits);
        limits.forEach((type, limit) -> {
            if (limit < 1) {
                throw new IllegalArgumentException("the limit of " + type + " must be at least 1, got " + limit);
            }
        });
        priority = List.copyOf(priority);
        if (priority.stream().distinct().count() != priority.size()) {
            throw new IllegalArgumentException("an identifier type appears twice in the priority: " + priority);
        }
        blockedValues = blockedValues.stream().map(IdentityRules::comparable).collect(Collectors.toUnmodifiableSet());
    }

    /** userId 1, email 5, phone 5, the rest unlimited; userId > email > phone > external ids > deviceId > anonymousId. */
    public static IdentityRules defaults() {
        return DEFAULTS;
    }

    public int limit(String type) {
        return limits.getOrDefault(type, Integer.MAX_VALUE);
    }

    /** Lower is stronger. */
    public int rank(String type) {
        int named = priority.indexOf(type);
        if (named >= 0) {
            return named;
        }
        int others = priority.indexOf(OTHER_TYPES);
        return others >= 0 ? others : priority.size();
    }

    public boolean blocks(String rawValue) {
        return rawValue == null || blockedValues.contains(comparable(rawValue));
    }

    private static String comparable(String value) {
        return Objects.requireNonNull(value, "blocked value").strip().toLowerCase(Locale.ROOT);
    }
}
