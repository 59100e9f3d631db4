package io.kairos.consent.stream;

/** A message that can never be processed; it goes to the dead-letter topic with this as the reason. */
public class PoisonMessage extends RuntimeException {

    public PoisonMessage(String message) {
        super(message);
    }

    public PoisonMessage(String message, Throwable cause) {
        super(message, cause);
    }
}
