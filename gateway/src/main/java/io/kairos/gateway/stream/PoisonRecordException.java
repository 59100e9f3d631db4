package io.kairos.gateway.stream;

/** A consumed record that no retry can process; it goes to its topic's .dlq with this message as reason. */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String reason) {
        super(reason);
    }
}
