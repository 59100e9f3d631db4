package io.kairos.trigger.domain;

import java.util.Optional;

/** Checks message template sources when a trigger is saved, so broken templates never reach a firing. */
public interface TemplateSyntax {

    /** Why {@code source} is not a valid template, or empty when it is. */
    Optional<String> problemIn(String source);
}
