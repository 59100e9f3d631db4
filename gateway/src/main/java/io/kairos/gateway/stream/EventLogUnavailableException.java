package io.kairos.gateway.stream;

/** Kafka did not take the messages of a request in time; the client should retry later. */
public class EventLogUnavailableException extends RuntimeException {

    public EventLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
