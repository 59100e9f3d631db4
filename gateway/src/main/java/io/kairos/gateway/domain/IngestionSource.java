package io.kairos.gateway.domain;

/** The source a write key belongs to: where its events are filed and which channel they default to. */
public record IngestionSource(String workspace, String sourceId, String defaultChannel) {
}
