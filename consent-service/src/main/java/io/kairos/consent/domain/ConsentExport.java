package io.kairos.consent.domain;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What consent-service holds on a profile, as its part of a data subject's export. */
public final class ConsentExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConsentExport() {
    }

    public static ObjectNode of(SubjectFacts facts) {
        ObjectNode export = JSON.createObjectNode();
        ArrayNode current = export.putArray("currentConsents");
        facts.consents().current().forEach(entry -> current.add(record(entry)));
        ArrayNode history = export.putArray("consentHistory");
        facts.consents().history().forEach(entry -> history.add(record(entry)));
        ObjectNode location = export.putObject("location");
        facts.recipient().timezone().ifPresent(zone -> location.put("timezone", zone.getId()));
        facts.recipient().place().country().ifPresent(country -> location.put("country", country));
        facts.recipient().place().region().ifPresent(region -> location.put("region", region));
        return export;
    }

    private static ObjectNode record(ConsentEntry entry) {
        ObjectNode record = JSON.createObjectNode()
                .put("purpose", entry.purpose().wireName())
                .put("channel", entry.channel().wireName())
                .put("status", entry.status().wireName())
                .put("source", entry.source())
                .put("origin", entry.origin().wireName())
                .put("recordedAt", entry.recordedAt().toString());
        entry.expiresAt().ifPresent(expiry -> record.put("expiresAt", expiry.toString()));
        if (!entry.proof().equals(Proof.NONE)) {
            record.putObject("proof").put("formId", entry.proof().formId()).put("ip", entry.proof().ip())
                    .put("userAgent", entry.proof().userAgent());
        }
        return record;
    }
}
