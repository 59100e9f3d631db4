package io.kairos.trigger.stream;

/** A message that can never be processed; it goes to the topic's dead-letter queue with this reason. */
public final class PoisonMessage extends RuntimeException {

    public PoisonMessage(String message) {
        super(message);
    }

    public PoisonMessage(String message, Throwable cause) {
        super(message, cause);
    }
}
