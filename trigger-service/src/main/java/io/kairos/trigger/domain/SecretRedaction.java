package io.kairos.trigger.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** Webhook secrets are write-only: every definition handed out has them replaced, every edit keeps them. */
public final class SecretRedaction {

    public static final String MASK = "********";

    private SecretRedaction() {
    }

    /** A copy of the definition tree with /action/webhook/secret masked; the input is left untouched. */
    public static Map<String, Object> redact(Map<String, Object> definition) {
        Map<String, Object> copy = new LinkedHashMap<>(definition);
        if (copy.get("action") instanceof Map<?, ?> action && action.get("webhook") instanceof Map<?, ?> webhook
                && webhook.containsKey("secret")) {
            Map<Object, Object> maskedWebhook = new LinkedHashMap<>(webhook);
            maskedWebhook.put("secret", MASK);
            Map<Object, Object> maskedAction = new LinkedHashMap<>(action);
            maskedAction.put("webhook", maskedWebhook);
            copy.put("action", maskedAction);
        }
        return copy;
    }

    /**
     * An edited definition with the stored webhook secret carried over where the edit leaves the
     * secret out, sends it as null or sends the mask: a client can only ever read a redacted copy, so
     * one that reads, edits and sends a trigger back must not lose its secret. A secret that is sent
     * replaces the stored one. The inputs are left untouched.
     */
    public static Map<String, Object> keepStoredSecret(Map<String, Object> edited, Map<String, Object> stored) {
        if (!(edited.get("action") instanceof Map<?, ?> action && action.get("webhook") instanceof Map<?, ?> webhook)) {
            return edited;
        }
        Object sent = webhook.get("secret");
        if (sent != null && !MASK.equals(sent)) {
            return edited;
        }
        if (!(stored.get("action") instanceof Map<?, ?> storedAction
                && storedAction.get("webhook") instanceof Map<?, ?> storedWebhook
                && storedWebhook.get("secret") instanceof String secret)) {
            return edited;
        }
        Map<Object, Object> keptWebhook = new LinkedHashMap<>(webhook);
        keptWebhook.put("secret", secret);
        Map<Object, Object> keptAction = new LinkedHashMap<>(action);
        keptAction.put("webhook", keptWebhook);
        Map<String, Object> copy = new LinkedHashMap<>(edited);
        copy.put("action", keptAction);
        return copy;
    }
}
