package io.kairos.gateway.api;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;

import java.time.Duration;

/**
 * Turns a failed gRPC call to another Kairos service into the problem the admin API answers
 * with. Services put a google.rpc.ErrorInfo in the status details: its reason and
 * metadata["field"] (a JSON pointer into the request) are passed on as they are.
 */
public final class GrpcProblems {

    private GrpcProblems() {
    }

    public static ProblemException from(String service, Throwable failure, Duration retryAfter) {
        if (failure instanceof ProblemException problem) {
            return problem;
        }
        Status status = Status.fromThrowable(failure);
        ErrorInfo info = errorInfo(failure);
        String reason = info == null || info.getReason().isBlank() ? null : info.getReason();
        String field = info == null ? null : info.getMetadataOrDefault("field", null);
        String description = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        return switch (status.getCode()) {
            case INVALID_ARGUMENT -> problem(400, reason, "INVALID_ARGUMENT", description, field, failure);
            case NOT_FOUND -> problem(404, reason, "NOT_FOUND", description, field, failure);
            case ALREADY_EXISTS -> problem(409, reason, "ALREADY_EXISTS", description, field, failure);
            case FAILED_PRECONDITION -> problem(409, reason, "FAILED_PRECONDITION", description, field, failure);
            // A concurrent edit won (version conflict): the client rereads and tries again.
            case ABORTED -> problem(409, reason, "CONFLICT", description, field, failure);
            case PERMISSION_DENIED -> problem(403, reason, "PERMISSION_DENIED", description, field, failure);
            case UNAVAILABLE -> new ProblemException(Problem.of(503, "SERVICE_UNAVAILABLE",
                    service + " is unavailable: " + description, null), retryAfter, failure);
            case DEADLINE_EXCEEDED -> new ProblemException(Problem.of(503, "SERVICE_TIMEOUT",
                    service + " did not answer in time", null), retryAfter, failure);
            // The other service broke or the call itself is wrong: nothing the client can fix.
            default -> new ProblemException(Problem.of(502, "SERVICE_FAILED",
                    service + " failed with " + status.getCode(), null), null, failure);
        };
    }

    private static ProblemException problem(int httpStatus, String reason, String fallbackReason, String detail,
                                            String field, Throwable cause) {
        return new ProblemException(Problem.of(httpStatus, reason != null ? reason : fallbackReason, detail, field),
                null, cause);
    }

    private static ErrorInfo errorInfo(Throwable failure) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        if (status == null) {
            return null;
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    return detail.unpack(ErrorInfo.class);
                } catch (InvalidProtocolBufferException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
