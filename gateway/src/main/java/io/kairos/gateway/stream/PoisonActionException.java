package io.kairos.gateway.stream;

/** A record of kairos.actions that no retry can process; it goes to kairos.actions.dlq with this message as reason. */
public class PoisonActionException extends RuntimeException {

    public PoisonActionException(String reason) {
        super(reason);
    }
}
