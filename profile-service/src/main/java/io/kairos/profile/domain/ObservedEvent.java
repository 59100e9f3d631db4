package io.kairos.profile.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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

    /**
     * userId, anonymousId, alias's previousId (as an anonymousId), email and phone from traits
     * (else context.traits), context.device.id and context.externalIds[] (type and id), normalised,
     * without the values the rules block. Phones without a country code are read in the country
     * of context.locale.
     */
    public List<Identifier> identifiers(IdentityRules rules) {
        List<Identifier> identifiers = new ArrayList<>(4);
        String region = country().orElse(null);
        add(identifiers, rules, Identifier.USER_ID, userId, region);
        add(identifiers, rules, Identifier.ANONYMOUS_ID, anonymousId, region);
        if (type == EventType.ALIAS) {
            add(identifiers, rules, Identifier.ANONYMOUS_ID, previousId, region);
        }
        add(identifiers, rules, Identifier.EMAIL, trait("email").orElse(null), region);
        add(identifiers, rules, Identifier.PHONE, trait("phone").orElse(null), region);
        add(identifiers, rules, Identifier.DEVICE_ID, textAt(objectAt(context(), "device"), "id").orElse(null), region);
        if (context().get("externalIds") instanceof List<?> externalIds) {
            for (Object externalId : externalIds) {
                if (externalId instanceof Map<?, ?> entry && entry.get("type") instanceof String type
                        && entry.get("id") instanceof String id && !isReserved(type)) {
                    add(identifiers, rules, type, id, region);
                }
            }
        }
        return identifiers.stream().distinct().toList();
    }

    /** External ids cannot pose as the identifiers the gateway vouches for. */
    private static boolean isReserved(String type) {
        String name = type.strip();
        return name.equals(Identifier.USER_ID) || name.equals(Identifier.ANONYMOUS_ID);
    }

    private static void add(List<Identifier> identifiers, IdentityRules rules, String type, String value, String region) {
        if (value != null && !rules.blocks(value)) {
            Identifier.normalise(type, value, region).ifPresent(identifiers::add);
        }
    }

    /** The country of context.location, else of context.locale ("en-US" -> "US"). */
    public Optional<String> country() {
        Optional<String> located = textAt(objectAt(context(), "location"), "country")
                .filter(country -> country.length() == 2)
                .map(country -> country.toUpperCase(Locale.ROOT));
        return located.or(() -> locale().map(Locale::forLanguageTag).map(Locale::getCountry).filter(country -> !country.isEmpty()));
    }

    /** context.location.region (state, province). */
    public Optional<String> region() {
        return textAt(objectAt(context(), "location"), "region");
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

    private Optional<String> trait(String name) {
        return textAt(traits(), name).or(() -> textAt(contextTraits(), name));
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
