package io.kairos.consent.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Listens on PostgreSQL channel {@code kairos_consent} (V3's triggers notify it on commit) and
 * drops what changed from {@link ConsentFacts}. Notices sent while the connection was down are
 * lost, so every (re)subscription drops the whole cache.
 */
@ApplicationScoped
public class ConsentChangeNotices {

    private static final Logger LOG = Logger.getLogger(ConsentChangeNotices.class);
    static final String CHANNEL = "kairos_consent";

    @Inject
    Vertx vertx;

    @Inject
    ConsentFacts facts;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private PgSubscriber subscriber;

    void start(@Observes StartupEvent event) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(user).setPassword(password.orElse(""));
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 500L);
        subscriber.channel(CHANNEL)
                .subscribeHandler(() -> {
                    LOG.debug("listening for consent changes; dropping everything cached before");
                    facts.forgetAll();
                })
                .handler(notice -> {
                    int tab = notice.indexOf('\t');
                    if (tab < 0) {
                        facts.forgetAll();
                    } else {
                        facts.forget(notice.substring(0, tab), notice.substring(tab + 1));
                    }
                });
        subscriber.closeHandler(() -> LOG.warn("consent change notices: connection closed; reconnecting"));
        subscriber.connect().await().indefinitely();
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close().await().indefinitely();
        }
    }
}
