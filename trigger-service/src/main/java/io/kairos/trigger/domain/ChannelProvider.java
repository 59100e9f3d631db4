package io.kairos.trigger.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider a workspace sends a channel's messages through when a trigger's action names no
 * webhook of its own: an email API shaped like SendGrid's v3 mail/send, an SMS API shaped like
 * Twilio's Messages resource, a push API shaped like Firebase Cloud Messaging's HTTP v1 send. The
 * URL is configurable (a regional endpoint, a proxy, a local receiver); credentials are write-only.
 */
public sealed interface ChannelProvider {

    String MASK = SecretRedaction.MASK;

    /** The channel's trait that holds the recipient's address for this provider. */
    String addressTrait();

    URI url();

    /** An email API shaped like SendGrid's: Bearer API key, JSON with personalizations, from, subject, content. */
    record SendGrid(URI url, String apiKey, String fromEmail, String fromName) implements ChannelProvider {
        public String addressTrait() {
            return "email";
        }

        @Override
        public String toString() {
            return "SendGrid[url=" + url + ", apiKey=****, from=" + fromEmail + "]";
        }
    }

    /** An SMS API shaped like Twilio's: Basic auth with the account SID, form-encoded To, From, Body. */
    record Twilio(URI url, String accountSid, String authToken, String from) implements ChannelProvider {
        public String addressTrait() {
            return "phone";
        }

        @Override
        public String toString() {
            return "Twilio[url=" + url + ", accountSid=" + accountSid + ", authToken=****, from=" + from + "]";
        }
    }

    /** A push API shaped like FCM HTTP v1: Bearer access token, JSON message with the device token and a notification. */
    record Fcm(URI url, String accessToken) implements ChannelProvider {
        public String addressTrait() {
            return "pushToken";
        }

        @Override
        public String toString() {
            return "Fcm[url=" + url + ", accessToken=****]";
        }
    }

    /** The settings as a read shows them: every field, credentials masked. */
    default Map<String, Object> redacted() {
        Map<String, Object> view = new LinkedHashMap<>();
        switch (this) {
            case SendGrid sendGrid -> {
                view.put("kind", "sendgrid");
                view.put("url", sendGrid.url().toString());
                view.put("apiKey", MASK);
                Map<String, Object> from = new LinkedHashMap<>();
                from.put("email", sendGrid.fromEmail());
                if (sendGrid.fromName() != null) {
                    from.put("name", sendGrid.fromName());
                }
                view.put("from", from);
            }
            case Twilio twilio -> {
                view.put("kind", "twilio");
                view.put("url", twilio.url().toString());
                view.put("accountSid", twilio.accountSid());
                view.put("authToken", MASK);
                view.put("from", twilio.from());
            }
            case Fcm fcm -> {
                view.put("kind", "fcm");
                view.put("url", fcm.url().toString());
                view.put("accessToken", MASK);
            }
        }
        return view;
    }

    /** The settings as stored: every field, credentials included. */
    default Map<String, Object> stored() {
        Map<String, Object> document = redacted();
        switch (this) {
            case SendGrid sendGrid -> document.put("apiKey", sendGrid.apiKey());
            case Twilio twilio -> document.put("authToken", twilio.authToken());
            case Fcm fcm -> document.put("accessToken", fcm.accessToken());
        }
        return document;
    }

    /**
     * Validates a channel's provider settings ({"kind": "sendgrid" | "twilio" | "fcm", ...}); a
     * credential left out or sent as the mask keeps {@code current}'s, so a read can be sent back.
     *
     * @param current the stored settings, or null
     */
    static ChannelProvider parse(Channel channel, Object node, ChannelProvider current) {
        Map<String, Object> settings = object(node, "", "the provider settings");
        String kind = text(settings, "kind", "");
        String expected = switch (channel) {
            case EMAIL -> "sendgrid";
            case SMS -> "twilio";
            case PUSH -> "fcm";
            default -> throw new InvalidDocument("NO_PROVIDER_CHANNEL", "",
                    "only email, sms and push are sent through a workspace provider; " + channel.wireName()
                            + " is not");
        };
        if (!kind.equals(expected)) {
            throw new InvalidDocument("UNKNOWN_PROVIDER", "/kind", "the " + channel.wireName()
                    + " provider is of kind \"" + expected + "\", got \"" + kind + "\"");
        }
        return switch (channel) {
            case EMAIL -> {
                checkKeys(settings, Set.of("kind", "url", "apiKey", "from"));
                Map<String, Object> from = object(required(settings, "from", ""), "/from", "from");
                checkKeys(from, "/from", Set.of("email", "name"));
                String email = text(from, "email", "/from");
                if (!email.matches("[^@\\s]+@[^@\\s]+")) {
                    throw new InvalidDocument("INVALID_EMAIL", "/from/email", "from.email is not an email address");
                }
                String name = from.get("name") == null ? null : text(from, "name", "/from");
                String apiKey = credential(settings, "apiKey", current instanceof SendGrid stored ? stored.apiKey() : null);
                yield new SendGrid(url(settings), apiKey, email, name);
            }
            case SMS -> {
                checkKeys(settings, Set.of("kind", "url", "accountSid", "authToken", "from"));
                String token = credential(settings, "authToken", current instanceof Twilio stored ? stored.authToken() : null);
                yield new Twilio(url(settings), text(settings, "accountSid", ""), token, text(settings, "from", ""));
            }
            default -> {
                checkKeys(settings, Set.of("kind", "url", "accessToken"));
                String token = credential(settings, "accessToken", current instanceof Fcm stored ? stored.accessToken() : null);
                yield new Fcm(url(settings), token);
            }
        };
    }

    private static String credential(Map<String, Object> settings, String key, String stored) {
        Object sent = settings.get(key);
        if ((sent == null || MASK.equals(sent)) && stored != null) {
            return stored;
        }
        if (MASK.equals(sent)) {
            throw new InvalidDocument("INVALID_SECRET", "/" + key, "\"" + MASK
                    + "\" is how credentials are shown, not a credential; send the real one");
        }
        return text(settings, key, "");
    }

    private static URI url(Map<String, Object> settings) {
        String url = text(settings, "url", "");
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new InvalidDocument("INVALID_URL", "/url", "url must be an absolute http or https URL with a host, got \""
                + url + "\"");
    }

    private static void checkKeys(Map<String, Object> object, Set<String> known) {
        checkKeys(object, "", known);
    }

    private static void checkKeys(Map<String, Object> object, String at, Set<String> known) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidDocument("UNKNOWN_FIELD", at + "/" + key, "unknown field \"" + key
                        + "\"; expected " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private static Object required(Map<String, Object> object, String key, String at) {
        if (object.get(key) == null) {
            throw new InvalidDocument("MISSING_FIELD", at + "/" + key, key + " is required");
        }
        return object.get(key);
    }

    private static String text(Map<String, Object> object, String key, String at) {
        if (!(required(object, key, at) instanceof String text) || text.isBlank()) {
            throw new InvalidDocument("WRONG_TYPE", at + "/" + key, key + " must be a non-blank string");
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object node, String at, String what) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new InvalidDocument("WRONG_TYPE", at, what + " must be a JSON object");
        }
        return (Map<String, Object>) map;
    }

    /** The channels a workspace provider serves. */
    List<Channel> CHANNELS = List.of(Channel.EMAIL, Channel.SMS, Channel.PUSH);
}
