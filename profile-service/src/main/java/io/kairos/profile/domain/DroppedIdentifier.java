package io.kairos.profile.domain;

import java.util.Objects;

/**
 * An identifier of an event that resolution did not attach, and why.
 *
 * @param reason {@value #LIMIT_REACHED} or {@value #CONFLICTING_PROFILE}
 * @param detail the explanation for people, naming the profiles and the limit
 */
public record DroppedIdentifier(Identifier identifier, String reason, String detail) {

    /** The profile already holds as many values of this type as the rules allow. */
    public static final String LIMIT_REACHED = "LIMIT_REACHED";
    /** Another profile holds it, and merging that profile would break a limit (two userIds). */
    public static final String CONFLICTING_PROFILE = "CONFLICTING_PROFILE";

    public DroppedIdentifier {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
