package io.kairos.trigger.api;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** gRPC failures carrying a google.rpc.ErrorInfo, as the gateway expects to map them to problem+json. */
final class GrpcFailures {

    static final String DOMAIN = "kairos.io";

    private GrpcFailures() {
    }

    /** @param field JSON pointer of the offending field, or null when no single field is at fault */
    static StatusRuntimeException failure(Code code, String reason, String field, String message) {
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

    static StatusRuntimeException invalid(String reason, String field, String message) {
        return failure(Code.INVALID_ARGUMENT, reason, field, message);
    }

    static StatusRuntimeException triggerNotFound(String triggerId) {
        return failure(Code.NOT_FOUND, "TRIGGER_NOT_FOUND", "/trigger_id",
                "no trigger " + triggerId + " in this workspace");
    }
}
