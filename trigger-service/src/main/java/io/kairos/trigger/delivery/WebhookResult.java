package io.kairos.trigger.delivery;

/** The end of a webhook delivery: after how many attempts, with which last HTTP status (null: none). */
public record WebhookResult(boolean accepted, int attempts, Integer status, String problem) {

    static WebhookResult accepted(int attempts, int status) {
        return new WebhookResult(true, attempts, status, null);
    }

    static WebhookResult failed(int attempts, Integer status, Throwable failure) {
        String problem = failure != null ? failure.toString() : "HTTP " + status;
        return new WebhookResult(false, attempts, status, "webhook: " + problem + " after " + attempts
                + (attempts == 1 ? " attempt" : " attempts"));
    }
}
