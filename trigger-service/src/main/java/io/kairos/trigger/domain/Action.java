package io.kairos.trigger.domain;

import java.net.URI;

/**
 * What a firing does: render the template and hand it to the provider webhook of the channel, or,
 * for a channel {@link Channel#publishedAsAction() published as an action}, put it on kairos.actions
 * (webhook is null then).
 */
public record Action(Channel channel, String purpose, Webhook webhook, MessageTemplate template) {

    public record Webhook(URI url, String secret) {
        /** Keeps the secret out of logs and exception messages. */
        @Override
        public String toString() {
            return "Webhook[url=" + url + ", secret=****]";
        }
    }

    /** Qute sources; subject is null when the channel has none (sms, push). */
    public record MessageTemplate(String subject, String body) {
    }
}
