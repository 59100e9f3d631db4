package io.kairos.trigger.config;

import io.kairos.trigger.domain.TriggerDefinitionParser;
import io.kairos.trigger.domain.WebhookRetryPolicy;
import io.kairos.trigger.template.QuteMessageTemplates;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Producers of the framework-free pieces the adapters share. */
public class TriggerBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    TriggerDefinitionParser triggerDefinitionParser(QuteMessageTemplates templates) {
        return new TriggerDefinitionParser(templates);
    }

    @Produces
    @Singleton
    WebhookRetryPolicy webhookRetryPolicy(TriggerConfig config) {
        TriggerConfig.Webhook webhook = config.webhook();
        return new WebhookRetryPolicy(webhook.maxAttempts(), webhook.initialBackoff(), webhook.maxBackoff());
    }

    /** Provider webhooks: redirects are not followed, a signed POST must not wander to another host. */
    @Produces
    @Singleton
    WebClient webhookClient(Vertx vertx, TriggerConfig config) {
        int timeoutMs = (int) config.webhook().timeout().toMillis();
        return WebClient.create(vertx, new WebClientOptions()
                .setFollowRedirects(false)
                .setConnectTimeout(timeoutMs)
                .setUserAgent("Kairos-Trigger/1"));
    }

    void closeWebhookClient(@Disposes WebClient client) {
        client.close();
    }
}
