package io.kairos.trigger.stream;

/** kairos.actions did not take a firing; it was not delivered and must be tried again. */
public final class ActionStreamUnavailable extends RuntimeException {

    public ActionStreamUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
