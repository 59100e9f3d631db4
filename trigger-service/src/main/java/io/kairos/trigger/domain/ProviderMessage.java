package io.kairos.trigger.domain;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One firing's request to its workspace's provider, in that provider's own shape: headers, and a
 * JSON document ({@code json}) or form fields ({@code form}, Twilio), never both. Every request carries
 * the firing id as {@code Idempotency-Key} (Twilio's own {@code I-Twilio-Idempotency-Token} too), and
 * the JSON ones carry it in the message's custom data, so a retried or redelivered firing is the same
 * message to the provider.
 */
public record ProviderMessage(URI url, Map<String, String> headers, Map<String, Object> json, Map<String, String> form) {

    public static ProviderMessage of(ChannelProvider provider, Firing firing, RenderedMessage message, String address) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", firing.firingId().toString());
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("kairos_firing_id", firing.firingId().toString());
        ids.put("kairos_trigger_id", firing.triggerId().toString());
        return switch (provider) {
            case ChannelProvider.SendGrid sendGrid -> {
                headers.put("Authorization", "Bearer " + sendGrid.apiKey());
                Map<String, Object> from = new LinkedHashMap<>();
                from.put("email", sendGrid.fromEmail());
                if (sendGrid.fromName() != null) {
                    from.put("name", sendGrid.fromName());
                }
                Map<String, Object> mail = new LinkedHashMap<>();
                mail.put("personalizations", List.of(Map.of("to", List.of(Map.of("email", address)), "custom_args", ids)));
                mail.put("from", from);
                mail.put("subject", message.subject() == null ? "" : message.subject());
                mail.put("content", List.of(Map.of("type", "text/plain", "value", message.body())));
                yield new ProviderMessage(sendGrid.url(), headers, mail, null);
            }
            case ChannelProvider.Twilio twilio -> {
                headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (twilio.accountSid() + ":" + twilio.authToken()).getBytes(StandardCharsets.UTF_8)));
                headers.put("I-Twilio-Idempotency-Token", firing.firingId().toString());
                Map<String, String> form = new LinkedHashMap<>();
                form.put("To", address);
                form.put("From", twilio.from());
                form.put("Body", message.body());
                yield new ProviderMessage(twilio.url(), headers, null, form);
            }
            case ChannelProvider.Fcm fcm -> {
                headers.put("Authorization", "Bearer " + fcm.accessToken());
                Map<String, Object> notification = new LinkedHashMap<>();
                if (message.subject() != null) {
                    notification.put("title", message.subject());
                }
                notification.put("body", message.body());
                Map<String, Object> push = new LinkedHashMap<>();
                push.put("token", address);
                push.put("notification", notification);
                push.put("data", ids);
                yield new ProviderMessage(fcm.url(), headers, Map.of("message", push), null);
            }
        };
    }

    /** The recipient's address for {@code provider} among the traits ({@code email}, {@code phone}, {@code pushToken}), or null. */
    public static String address(ChannelProvider provider, Map<String, Object> traits) {
        return traits != null && traits.get(provider.addressTrait()) instanceof String address && !address.isBlank()
                ? address.trim() : null;
    }

    /** Keeps credentials out of logs. */
    @Override
    public String toString() {
        return "ProviderMessage[url=" + url + "]";
    }
}
