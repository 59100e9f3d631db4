package io.kairos.gateway.stream;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.kairos.api.consent.MutinyConsentServiceGrpc;
import io.kairos.api.consent.PrivacyOutcome;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reports the gateway's outcome of a privacy request to consent-service, which tracks completion.
 * While consent-service cannot be reached the report is retried without end, so the request's offset
 * is not committed before consent-service knows; a refusal (a request it never recorded or does not
 * wait on the gateway for) is final and only logged.
 */
@ApplicationScoped
public class PrivacyReports {

    static final String SERVICE = "gateway";
    private static final Logger LOG = Logger.getLogger(PrivacyReports.class);
    private static final Set<Status.Code> REFUSALS = EnumSet.of(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT);

    private volatile boolean stopping;

    @GrpcClient("consent")
    MutinyConsentServiceGrpc.MutinyConsentServiceStub consent;

    public Uni<Void> done(String workspace, String requestId, String detail, byte[] exportJson) {
        return report(workspace, requestId, "done", detail, exportJson);
    }

    /** The request could not be carried out here; asking for it again has every service try again. */
    public Uni<Void> failed(String workspace, String requestId, Throwable cause) {
        return report(workspace, requestId, "failed", String.valueOf(cause.getMessage()), new byte[0]);
    }

    /** Whether the service is shutting down: a failure then is the closing resources', not the request's. */
    public boolean stopping() {
        return stopping;
    }

    private Uni<Void> report(String workspace, String requestId, String result, String detail, byte[] exportJson) {
        PrivacyOutcome outcome = PrivacyOutcome.newBuilder()
                .setWorkspace(workspace)
                .setRequestId(requestId)
                .setService(SERVICE)
                .setOutcome(result)
                .setDetail(detail.length() > 256 ? detail.substring(0, 256) : detail)
                .setExportJson(ByteString.copyFrom(exportJson))
                .build();
        return Uni.createFrom().deferred(() -> consent.withDeadlineAfter(10, TimeUnit.SECONDS).reportPrivacyOutcome(outcome))
                .replaceWithVoid()
                .onFailure(PrivacyReports::refusal).recoverWithUni(refused -> {
                    LOG.warnf("consent-service refused the report of privacy request %s: %s", requestId, refused.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .onFailure(e -> !stopping).invoke(e -> LOG.warnf("privacy request %s: report not delivered yet: %s",
                        requestId, e.getMessage()))
                .onFailure(e -> !stopping).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private static boolean refusal(Throwable failure) {
        return REFUSALS.contains(Status.fromThrowable(failure).getCode());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
