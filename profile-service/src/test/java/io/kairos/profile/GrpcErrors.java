package io.kairos.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Assertions on the Kairos gRPC error shape: a status with an ErrorInfo (reason, field). */
final class GrpcErrors {

    private GrpcErrors() {
    }

    static void assertInvalid(Runnable call, String reason, String field) {
        assertFails(call, Status.Code.INVALID_ARGUMENT, reason);
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                failure -> assertThat(errorInfo(failure).getMetadataMap()).containsEntry("field", field));
    }

    static void assertNotFound(Runnable call) {
        assertFails(call, Status.Code.NOT_FOUND, "PROFILE_NOT_FOUND");
    }

    static void assertFails(Runnable call, Status.Code code, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
            assertThat(failure.getStatus().getCode()).isEqualTo(code);
            ErrorInfo info = errorInfo(failure);
            assertThat(info.getReason()).isEqualTo(reason);
            assertThat(info.getDomain()).isEqualTo("kairos.io");
        });
    }

    static ErrorInfo errorInfo(StatusRuntimeException failure) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        assertThat(status).as("google.rpc.Status details").isNotNull();
        try {
            return status.getDetails(0).unpack(ErrorInfo.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
