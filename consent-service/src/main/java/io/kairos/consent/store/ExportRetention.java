package io.kairos.consent.store;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An export holds all of a person's data: consent-service keeps it only for
 * {@code kairos.privacy.export-retention} after the request completed, long enough to hand it over.
 */
@ApplicationScoped
public class ExportRetention {

    private static final Logger LOG = Logger.getLogger(ExportRetention.class);

    @Inject
    PrivacyRequests requests;

    @Inject
    Clock clock;

    @ConfigProperty(name = "kairos.privacy.export-retention")
    Duration retention;

    @Scheduled(every = "${kairos.privacy.export-expiry-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> expire() {
        Instant now = clock.instant();
        return requests.expireExports(now.minus(retention), now)
                .invoke(expired -> {
                    if (expired > 0) {
                        LOG.infof("removed the data of %d exports completed before %s", expired, now.minus(retention));
                    }
                })
                .onFailure().invoke(e -> LOG.warnf(e, "export expiry failed; retrying on the next run"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
