package io.kairos.trigger.delivery;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsentGateTest {

    @Test
    void aRefusedQuestionIsARejectionNotAnOutage() {
        assertThat(ConsentGate.rejection(Status.INVALID_ARGUMENT.asRuntimeException())).isTrue();
        assertThat(ConsentGate.rejection(Status.FAILED_PRECONDITION.asRuntimeException())).isTrue();
        assertThat(ConsentGate.rejection(Status.NOT_FOUND.asException())).isTrue();
        assertThat(ConsentGate.rejection(Status.PERMISSION_DENIED.asRuntimeException())).isTrue();
    }

    @Test
    void transientAndUnexplainedFailuresStayOutages() {
        assertThat(ConsentGate.rejection(Status.UNAVAILABLE.asRuntimeException())).isFalse();
        assertThat(ConsentGate.rejection(Status.DEADLINE_EXCEEDED.asRuntimeException())).isFalse();
        assertThat(ConsentGate.rejection(Status.RESOURCE_EXHAUSTED.asRuntimeException())).isFalse();
        assertThat(ConsentGate.rejection(Status.INTERNAL.asRuntimeException())).isFalse();
        assertThat(ConsentGate.rejection(new IllegalStateException("consent-service answered without a verdict")))
                .isFalse();
    }

    @Test
    void theProblemIsTheStatusDescriptionOrElseItsCode() {
        assertThat(ConsentGate.problem(Status.INVALID_ARGUMENT.withDescription("channel 'x' is not one of all")
                .asRuntimeException())).isEqualTo("channel 'x' is not one of all");
        assertThat(ConsentGate.problem(Status.NOT_FOUND.asRuntimeException())).isEqualTo("NOT_FOUND");
    }
}
