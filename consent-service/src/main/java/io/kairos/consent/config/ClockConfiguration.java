package io.kairos.consent.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The service's time source; injectable so that time-dependent logic never reads the system clock itself. */
public class ClockConfiguration {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
