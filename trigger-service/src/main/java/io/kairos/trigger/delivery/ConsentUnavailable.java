package io.kairos.trigger.delivery;

/** consent-service gave no usable answer; the firing must not be sent. */
public final class ConsentUnavailable extends RuntimeException {

    public ConsentUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
