package io.kairos.profile.api;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** gRPC errors in the Kairos shape: a google.rpc.Status carrying an ErrorInfo the gateway turns into problem+json. */
final class GrpcFailure {

    private static final String DOMAIN = "kairos.io";

    private GrpcFailure() {
    }

    /** @param field JSON pointer to the request field at fault */
    static StatusRuntimeException invalidArgument(String reason, String field, String message) {
        return failure(Code.INVALID_ARGUMENT, ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN)
                .putMetadata("field", field).build(), message);
    }

    static StatusRuntimeException notFound(String reason, String message) {
        return failure(Code.NOT_FOUND, ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build(), message);
    }

    static StatusRuntimeException failedPrecondition(String reason, String message) {
        return failure(Code.FAILED_PRECONDITION, ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build(), message);
    }

    private static StatusRuntimeException failure(Code code, ErrorInfo info, String message) {
        return StatusProto.toStatusRuntimeException(Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message)
                .addDetails(Any.pack(info))
                .build());
    }
}
