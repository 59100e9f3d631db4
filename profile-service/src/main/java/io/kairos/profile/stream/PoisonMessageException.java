package io.kairos.profile.stream;

/** A raw event that can never be processed, whatever is retried; it goes to the dead-letter topic with this message as reason. */
public class PoisonMessageException extends RuntimeException {

    public PoisonMessageException(String reason) {
        super(reason);
    }

    public PoisonMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
