package io.kairos.segment.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Asserts a gRPC failure: its code and the ErrorInfo the gateway turns into problem+json. */
final class GrpcFailures {

    private GrpcFailures() {
    }

    static ErrorInfo failsWith(Status.Code code, ThrowingCallable call) {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(failure).as("the call fails").isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(code);
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        assertThat(status).as("google.rpc.Status details").isNotNull();
        assertThat(status.getDetailsList()).hasSize(1);
        try {
            ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
            assertThat(info.getDomain()).isEqualTo("kairos.io");
            return info;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("details are not an ErrorInfo", e);
        }
    }
}
