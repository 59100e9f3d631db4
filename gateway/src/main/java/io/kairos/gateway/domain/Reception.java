package io.kairos.gateway.domain;

import java.time.Instant;

/**
 * What the gateway knows about one ingestion request besides its body.
 *
 * @param clientIp               the caller's address, or null when unknown
 * @param globalPrivacyControl   the request carried {@code Sec-GPC: 1}
 */
public record Reception(IngestionSource source, Instant receivedAt, String clientIp, boolean globalPrivacyControl) {
}
