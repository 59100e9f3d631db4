package io.kairos.consent.api;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kairos.consent.domain.InvalidConsentInput;

/** Turns refused input into INVALID_ARGUMENT with an ErrorInfo the gateway maps to problem+json. */
final class InvalidArgumentStatus {

    static final String DOMAIN = "kairos.io";

    private InvalidArgumentStatus() {
    }

    static StatusRuntimeException of(InvalidConsentInput invalid) {
        ErrorInfo info = ErrorInfo.newBuilder()
                .setReason(invalid.reason())
                .setDomain(DOMAIN)
                .putAllMetadata(invalid.details())
                .putMetadata("field", invalid.pointer())
                .build();
        return StatusProto.toStatusRuntimeException(Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(invalid.getMessage())
                .addDetails(Any.pack(info))
                .build());
    }
}
