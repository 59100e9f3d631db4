package io.kairos.profile.domain;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One identifier of a person, normalised: the same person sending " Ada@Example.com " and
 * "ada@example.com" must land on one profile.
 */
public record Identifier(String type, String value) {

    public static final String USER_ID = "userId";
    public static final String ANONYMOUS_ID = "anonymousId";
    public static final String EMAIL = "email";

    // Placeholder values that SDKs and careless integrations send; treating them as identifiers
    // would glue every such visitor into one giant profile.
    private static final Set<String> BLOCKED_VALUES = Set.of("", "null", "undefined", "anonymous", "0", "unknown");

    public Identifier {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** The normalised identifier, or empty when the type is blank or the value missing or blocked. */
    public static Optional<Identifier> normalise(String type, String rawValue) {
        if (type == null || type.isBlank() || rawValue == null || isBlocked(rawValue)) {
            return Optional.empty();
        }
        String normalisedType = type.trim();
        String value = rawValue.trim();
        if (EMAIL.equals(normalisedType)) {
            value = value.toLowerCase(Locale.ROOT);
        }
        return Optional.of(new Identifier(normalisedType, value));
    }

    public static boolean isBlocked(String rawValue) {
        return BLOCKED_VALUES.contains(rawValue.trim().toLowerCase(Locale.ROOT));
    }
}
