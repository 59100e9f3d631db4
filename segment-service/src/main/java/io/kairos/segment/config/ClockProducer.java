package io.kairos.segment.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

@ApplicationScoped
public class ClockProducer {

    /** The one source of "now"; tests can replace it with a fixed or offset clock. */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
