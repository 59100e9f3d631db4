package io.kairos.gateway.config;

import io.kairos.gateway.domain.AccessPolicy;
import io.kairos.gateway.domain.MessageAdmission;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.security.SecureRandom;

/** Framework-free domain objects, made available for injection. */
public class DomainProducers {

    @Produces
    @Singleton
    MessageAdmission messageAdmission(GatewayConfig config) {
        return new MessageAdmission(config.ingestion().maxEventBytes(), config.ingestion().maxBatchBytes(),
                config.ingestion().maxBatchMessages());
    }

    @Produces
    @Singleton
    AccessPolicy accessPolicy() {
        return new AccessPolicy();
    }

    @Produces
    @Singleton
    SecureRandom secureRandom() {
        return new SecureRandom();
    }
}
