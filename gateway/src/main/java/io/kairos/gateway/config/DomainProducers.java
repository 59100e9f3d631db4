package io.kairos.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.kairos.gateway.domain.AccessPolicy;
import io.kairos.gateway.domain.MessageAdmission;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.security.SecureRandom;

/** Framework-free domain objects, made available for injection. */
public class DomainProducers {

    @Produces
    @Singleton
    MessageAdmission messageAdmission(GatewayConfig config, ObjectMapper json) {
        ObjectWriter writer = json.writer();
        return new MessageAdmission(config.ingestion().maxEventBytes(), config.ingestion().maxBatchBytes(),
                config.ingestion().maxBatchMessages(), message -> {
                    try {
                        return writer.writeValueAsBytes(message);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("a decoded JSON message always encodes again", e);
                    }
                });
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
