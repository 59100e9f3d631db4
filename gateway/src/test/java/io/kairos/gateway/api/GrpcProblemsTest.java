package io.kairos.gateway.api;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcProblemsTest {

    private static final Duration RETRY = Duration.ofSeconds(5);

    @Test
    void passes_on_reason_and_field_of_the_error_info() {
        ProblemException problem = GrpcProblems.from("segment-service",
                failure(Status.Code.INVALID_ARGUMENT, "unknown operator 'gtx'", "UNKNOWN_OPERATOR",
                        "/condition/all/0/count/gtx"), RETRY);

        assertThat(problem.problem()).isEqualTo(Problem.of(400, "UNKNOWN_OPERATOR", "unknown operator 'gtx'",
                "/condition/all/0/count/gtx"));
        assertThat(problem.problem().type()).isEqualTo("https://kairos.io/problems/unknown-operator");
        assertThat(problem.retryAfter()).isNull();
    }

    @Test
    void maps_each_status_to_its_http_status() {
        assertThat(status(Status.Code.INVALID_ARGUMENT)).isEqualTo(400);
        assertThat(status(Status.Code.NOT_FOUND)).isEqualTo(404);
        assertThat(status(Status.Code.ALREADY_EXISTS)).isEqualTo(409);
        assertThat(status(Status.Code.FAILED_PRECONDITION)).isEqualTo(409);
        assertThat(status(Status.Code.ABORTED)).isEqualTo(409);
        assertThat(status(Status.Code.PERMISSION_DENIED)).isEqualTo(403);
        assertThat(status(Status.Code.UNAVAILABLE)).isEqualTo(503);
        assertThat(status(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(503);
        assertThat(status(Status.Code.INTERNAL)).isEqualTo(502);
        assertThat(status(Status.Code.UNIMPLEMENTED)).isEqualTo(502);
        assertThat(status(Status.Code.UNKNOWN)).isEqualTo(502);
    }

    @Test
    void without_error_info_the_status_code_is_the_reason() {
        ProblemException problem = GrpcProblems.from("profile-service",
                Status.NOT_FOUND.withDescription("no profile p-1").asRuntimeException(), RETRY);

        assertThat(problem.problem()).isEqualTo(Problem.of(404, "NOT_FOUND", "no profile p-1", null));
    }

    @Test
    void an_unreachable_or_slow_service_is_a_503_to_retry() {
        ProblemException down = GrpcProblems.from("consent-service",
                Status.UNAVAILABLE.withDescription("io exception").asRuntimeException(), RETRY);
        ProblemException slow = GrpcProblems.from("consent-service",
                Status.DEADLINE_EXCEEDED.asRuntimeException(), RETRY);

        assertThat(down.problem().reason()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(down.problem().detail()).startsWith("consent-service is unavailable");
        assertThat(down.retryAfter()).isEqualTo(RETRY);
        assertThat(slow.problem().reason()).isEqualTo("SERVICE_TIMEOUT");
        assertThat(slow.retryAfter()).isEqualTo(RETRY);
    }

    private static int status(Status.Code code) {
        return GrpcProblems.from("x", failure(code, "d", "SOME_REASON", null), RETRY).problem().status();
    }

    private static StatusRuntimeException failure(Status.Code code, String message, String reason, String field) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain("kairos.io");
        if (field != null) {
            info.putMetadata("field", field);
        }
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code.value()).setMessage(message).addDetails(Any.pack(info.build())).build());
    }
}
