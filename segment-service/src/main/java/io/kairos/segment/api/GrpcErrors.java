package io.kairos.segment.api;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** gRPC failures carrying a google.rpc.ErrorInfo (reason, domain kairos.io, field pointer), as the gateway expects. */
final class GrpcErrors {

    static final String DOMAIN = "kairos.io";

    private GrpcErrors() {
    }

    static StatusRuntimeException invalidArgument(String reason, String field, String message) {
        return failure(Code.INVALID_ARGUMENT, reason, field, message);
    }

    static StatusRuntimeException notFound(String reason, String field, String message) {
        return failure(Code.NOT_FOUND, reason, field, message);
    }

    static StatusRuntimeException alreadyExists(String reason, String field, String message) {
        return failure(Code.ALREADY_EXISTS, reason, field, message);
    }

    static StatusRuntimeException failedPrecondition(String reason, String field, String message) {
        return failure(Code.FAILED_PRECONDITION, reason, field, message);
    }

    private static StatusRuntimeException failure(Code code, String reason, String field, String message) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN);
        if (field != null) {
            info.putMetadata("field", field);
        }
        return StatusProto.toStatusRuntimeException(Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message)
                .addDetails(Any.pack(info.build()))
                .build());
    }
}
