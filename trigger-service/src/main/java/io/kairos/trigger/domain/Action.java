package io.kairos.trigger.domain;

import java.net.URI;

/**
 * What a firing does: render the template and post it to the action's webhook; for email, sms and
 * push without a webhook, send it through the workspace's {@link ChannelProvider}; for a channel
 * {@link Channel#publishedAsAction() published as an action}, put it on kairos.actions; for the
 * kafka channel, publish it to {@code kafkaTopic}. webhook is null unless it is posted, and
 * kafkaTopic unless it is published to a topic of the user's.
 */
public record Action(Channel channel, String purpose, Webhook webhook, String kafkaTopic, MessageTemplate template) {

    /** An action posted to a webhook or published on kairos.actions. */
    public Action(Channel channel, String purpose, Webhook webhook, MessageTemplate template) {
        this(channel, purpose, webhook, null, template);
    }

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
