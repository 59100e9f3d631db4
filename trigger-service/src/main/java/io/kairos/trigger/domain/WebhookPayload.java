package io.kairos.trigger.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON document a provider webhook receives for a firing (field order as in DESIGN.md). */
public final class WebhookPayload {

    private WebhookPayload() {
    }

    public static Map<String, Object> of(Firing firing, Channel channel, RenderedMessage message,
                                         Map<String, Object> profileTraits) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("triggerId", firing.triggerId().toString());
        payload.put("firingId", firing.firingId().toString());
        payload.put("workspace", firing.workspace());
        payload.put("profileId", firing.profileId());
        payload.put("channel", channel.wireName());
        payload.put("message", message(message));
        payload.put("event", firing.cause().view());
        payload.put("profile", profile(firing, profileTraits));
        payload.put("firedAt", firing.firedAt().toString());
        return payload;
    }

    /** A rendered message as webhooks and kairos.actions carry it: {@code {"subject"?, "body"}}. */
    public static Map<String, Object> message(RenderedMessage message) {
        Map<String, Object> rendered = new LinkedHashMap<>();
        if (message.subject() != null) {
            rendered.put("subject", message.subject());
        }
        rendered.put("body", message.body());
        return rendered;
    }

    /** What templates see: {@code {event.properties.name}}, {@code {profile.traits.firstName}}. */
    public static Map<String, Object> templateData(Firing firing, Map<String, Object> profileTraits) {
        return Map.of("event", firing.cause().view(), "profile", profile(firing, profileTraits));
    }

    /** The profile as payloads and templates see it: an object, so identifiers can join the traits later. */
    private static Map<String, Object> profile(Firing firing, Map<String, Object> profileTraits) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("id", firing.profileId());
        profile.put("traits", profileTraits);
        return profile;
    }
}
