package io.kairos.consent.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one service reported for a privacy request. An export's report carries the service's data as
 * a JSON object; other reports carry none.
 */
public record ServiceReport(String service, Outcome outcome, String detail, Optional<JsonNode> export,
                            Instant reportedAt) {

    public enum Outcome {
        DONE, FAILED;

        public String wireName() {
            return this == DONE ? "done" : "failed";
        }

        public static Outcome parse(String raw) {
            return switch (raw) {
                case "done" -> DONE;
                case "failed" -> FAILED;
                default -> throw new InvalidConsentInput("UNKNOWN_OUTCOME", "outcome",
                        "outcome must be done or failed, got '" + raw + "'");
            };
        }
    }

    public ServiceReport {
        Objects.requireNonNull(service);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(detail);
        Objects.requireNonNull(export);
    }

    /**
     * @param services the services the request waits for
     * @param exportJson UTF-8 JSON; empty for none
     */
    public static ServiceReport parse(PrivacyRequestKind kind, List<String> services, String service, String outcome,
                                      String detail, byte[] exportJson, Instant reportedAt) {
        if (!services.contains(service)) {
            throw new InvalidConsentInput("UNKNOWN_SERVICE", "service",
                    "this request waits for " + services + ", not for '" + service + "'");
        }
        Outcome parsed = Outcome.parse(outcome);
        Optional<JsonNode> export = Optional.empty();
        if (exportJson.length > 0) {
            if (kind != PrivacyRequestKind.EXPORT || parsed != Outcome.DONE) {
                throw new InvalidConsentInput("UNEXPECTED_EXPORT", "exportJson",
                        "only a done export request carries data; this is a " + parsed.wireName() + " " + kind.wireName());
            }
            export = Optional.of(JsonReading.object(exportJson, "exportJson", "exportJson"));
        } else if (kind == PrivacyRequestKind.EXPORT && parsed == Outcome.DONE) {
            throw new InvalidConsentInput("EXPORT_MISSING", "exportJson",
                    "a done export request carries the service's data as a JSON object ({} when it holds none)");
        }
        return new ServiceReport(service, parsed, TextField.optional(detail, "detail"), export, reportedAt);
    }

    /** The same report again, as a redelivered request makes a service send: nothing to record. */
    public boolean repeats(ServiceReport stored) {
        return service.equals(stored.service) && outcome == stored.outcome && detail.equals(stored.detail)
                && export.equals(stored.export);
    }
}
