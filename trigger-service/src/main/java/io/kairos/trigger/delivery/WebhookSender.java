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

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * POSTs a firing: to the trigger's webhook, signed and with the firing id as Idempotency-Key, so a
 * retry (ours, or a redelivery after a crash) can be recognised by the receiver; or to the
 * workspace's provider in its own shape. Every attempt sends the same bytes with the same headers.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    /** One request as it goes out on every attempt. */
    public record Outbound(URI url, Map<String, String> headers, byte[] body) {
        /** Keeps credentials in headers out of logs. */
        @Override
        public String toString() {
            return "Outbound[url=" + url + "]";
        }
    }

    private final WebClient client;
    private final WebhookRetryPolicy policy;
    private final long timeoutMs;

    public WebhookSender(WebClient client, WebhookRetryPolicy policy, TriggerConfig config) {
        this.client = client;
        this.policy = policy;
        this.timeoutMs = config.webhook().timeout().toMillis();
    }

    /** The request to a trigger's own webhook: JSON, the firing id as Idempotency-Key, signed with the webhook's secret. */
    public static Outbound signed(Action.Webhook webhook, String idempotencyKey, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", idempotencyKey);
        headers.put(WebhookSignature.HEADER, WebhookSignature.of(webhook.secret(), body));
        return new Outbound(webhook.url(), headers, body);
    }

    public Uni<WebhookResult> send(Outbound request, String idempotencyKey) {
        return attempt(1, request, idempotencyKey, Buffer.buffer(request.body()));
    }

    private Uni<WebhookResult> attempt(int attempt, Outbound request, String idempotencyKey, Buffer body) {
        var post = client.postAbs(request.url().toString()).timeout(timeoutMs);
        request.headers().forEach(post::putHeader);
        return post.sendBuffer(body)
                .map(response -> response.statusCode())
                .onItemOrFailure().transformToUni((status, failure) -> {
                    if (failure == null && WebhookRetryPolicy.accepted(status)) {
                        return Uni.createFrom().item(WebhookResult.accepted(attempt, status));
                    }
                    boolean retryable = failure != null || WebhookRetryPolicy.retryable(status);
                    if (!retryable || attempt >= policy.maxAttempts()) {
                        return Uni.createFrom().item(WebhookResult.failed(attempt, status, failure));
                    }
                    LOG.debugf("%s attempt %d for %s failed (%s), retrying", request.url(), attempt,
                            idempotencyKey, failure != null ? failure.toString() : "HTTP " + status);
                    return Uni.createFrom().voidItem()
                            .onItem().delayIt().by(policy.backoffBefore(attempt + 1, ThreadLocalRandom.current().nextDouble()))
                            .flatMap(ignored -> attempt(attempt + 1, request, idempotencyKey, body));
                });
    }
}
