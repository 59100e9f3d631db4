package io.kairos.profile.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One Segment-spec event as the profile sees it: the envelope fields of the raw event plus the
 * parsed payload (JSON object as plain maps, lists, strings, numbers, booleans and nulls).
 * Optional envelope fields are null when absent.
 */
public record ObservedEvent(
        String workspace,
        String messageId,
        EventType type,
        String event,
        String userId,
        String anonymousId,
        String previousId,
        String groupId,
        String sourceId,
        String channel,
        Instant occurredAt,
        Instant receivedAt,
        Map<String, Object> payload) {

    public ObservedEvent {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(payload, "payload")));
    }

    /** userId, anonymousId and the email from traits (else context.traits), normalised, blocked values left out. */
    public List<Identifier> identifiers() {
        List<Identifier> identifiers = new ArrayList<>(3);
        Identifier.normalise(Identifier.USER_ID, userId).ifPresent(identifiers::add);
        Identifier.normalise(Identifier.ANONYMOUS_ID, anonymousId).ifPresent(identifiers::add);
        email().flatMap(email -> Identifier.normalise(Identifier.EMAIL, email)).ifPresent(identifiers::add);
        return List.copyOf(identifiers);
    }

    /** Top-level traits (identify, group). */
    public Map<String, Object> traits() {
        return objectAt(payload, "traits");
    }

    /** context.traits: the traits an SDK attaches to track, page and screen calls. */
    public Map<String, Object> contextTraits() {
        return objectAt(context(), "traits");
    }

    public Optional<String> timezone() {
        return textAt(context(), "timezone");
    }

    public Optional<String> locale() {
        return textAt(context(), "locale");
    }

    /** The envelope channel (context.channel, else the source's default) and context.channel itself. */
    public Set<String> channels() {
        Set<String> channels = new LinkedHashSet<>();
        if (channel != null && !channel.isBlank()) {
            channels.add(channel.trim());
        }
        textAt(context(), "channel").ifPresent(channels::add);
        return channels;
    }

    private Optional<String> email() {
        return textAt(traits(), "email").or(() -> textAt(contextTraits(), "email"));
    }

    private Map<String, Object> context() {
        return objectAt(payload, "context");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectAt(Map<String, Object> object, String field) {
        return object.get(field) instanceof Map<?, ?> nested ? (Map<String, Object>) nested : Map.of();
    }

    private static Optional<String> textAt(Map<String, Object> object, String field) {
        return object.get(field) instanceof String text && !text.isBlank() ? Optional.of(text.trim()) : Optional.empty();
    }
}
