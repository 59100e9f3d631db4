package io.kairos.trigger.delivery;

import io.kairos.trigger.config.TriggerConfig;
import io.kairos.trigger.domain.Action;
import io.kairos.trigger.domain.WebhookRetryPolicy;
import io.kairos.trigger.domain.WebhookSignature;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.ThreadLocalRandom;

/**
 * POSTs a firing to the provider webhook, signed and with the firing id as Idempotency-Key, so a
 * retry (ours, or a redelivery after a crash) can be recognised by the receiver. Every attempt
 * sends the same bytes with the same signature.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    private final WebClient client;
    private final WebhookRetryPolicy policy;
    private final long timeoutMs;

    public WebhookSender(WebClient client, WebhookRetryPolicy policy, TriggerConfig config) {
        this.client = client;
        this.policy = policy;
        this.timeoutMs = config.webhook().timeout().toMillis();
    }

    public Uni<WebhookResult> send(Action.Webhook webhook, String idempotencyKey, byte[] body) {
        String signature = WebhookSignature.of(webhook.secret(), body);
        return attempt(1, webhook, idempotencyKey, signature, Buffer.buffer(body));
    }

    private Uni<WebhookResult> attempt(int attempt, Action.Webhook webhook, String idempotencyKey, String signature,
                                       Buffer body) {
        return client.postAbs(webhook.url().toString())
                .putHeader("Content-Type", "application/json")
                .putHeader("Idempotency-Key", idempotencyKey)
                .putHeader(WebhookSignature.HEADER, signature)
                .timeout(timeoutMs)
                .sendBuffer(body)
                .map(response -> response.statusCode())
                .onItemOrFailure().transformToUni((status, failure) -> {
                    if (failure == null && WebhookRetryPolicy.accepted(status)) {
                        return Uni.createFrom().item(WebhookResult.accepted(attempt, status));
                    }
                    boolean retryable = failure != null || WebhookRetryPolicy.retryable(status);
                    if (!retryable || attempt >= policy.maxAttempts()) {
                        return Uni.createFrom().item(WebhookResult.failed(attempt, status, failure));
                    }
                    LOG.debugf("webhook %s attempt %d for %s failed (%s), retrying", webhook.url(), attempt,
                            idempotencyKey, failure != null ? failure.toString() : "HTTP " + status);
                    return Uni.createFrom().voidItem()
                            .onItem().delayIt().by(policy.backoffBefore(attempt + 1, ThreadLocalRandom.current().nextDouble()))
                            .flatMap(ignored -> attempt(attempt + 1, webhook, idempotencyKey, signature, body));
                });
    }
}
