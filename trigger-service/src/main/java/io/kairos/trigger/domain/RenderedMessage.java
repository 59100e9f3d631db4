package io.kairos.trigger.domain;

/** A message template rendered for one firing; subject is null when the template has none. */
public record RenderedMessage(String subject, String body) {
}
