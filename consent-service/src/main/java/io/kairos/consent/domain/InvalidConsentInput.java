package io.kairos.consent.domain;

import java.util.Map;

/**
 * Input that the ledger must refuse. {@code reason} is a machine-readable UPPER_SNAKE code,
 * {@code field} the request field at fault as a JSON pointer without its leading slash (its JSON
 * name, or a path such as {@code quietHours/sms/from}; {@code ""} for a document as a whole),
 * {@code details} extra context such as the allowed values.
 */
public final class InvalidConsentInput extends RuntimeException {

    private final String reason;
    private final String field;
    private final Map<String, String> details;

    public InvalidConsentInput(String reason, String field, String message, Map<String, String> details) {
        super(message);
        this.reason = reason;
        this.field = field;
        this.details = Map.copyOf(details);
    }

    public InvalidConsentInput(String reason, String field, String message) {
        this(reason, field, message, Map.of());
    }

    public String reason() {
        return reason;
    }

    public String field() {
        return field;
    }

    /** {@link #field()} as the JSON pointer it stands for. */
    public String pointer() {
        return field.isEmpty() ? "" : "/" + field;
    }

    public Map<String, String> details() {
        return details;
    }
}
