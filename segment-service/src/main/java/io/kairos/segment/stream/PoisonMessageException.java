package io.kairos.segment.stream;

/**
 * A message that can never be processed, whatever the retries: it goes to the dead-letter topic with
 * this message as its reason.
 */
public final class PoisonMessageException extends RuntimeException {

    public PoisonMessageException(String reason) {
        super(reason);
    }

    public PoisonMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
