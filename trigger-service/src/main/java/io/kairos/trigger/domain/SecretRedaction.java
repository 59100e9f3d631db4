package io.kairos.trigger.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** Webhook secrets are write-only: every definition handed out has them replaced. */
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
}
