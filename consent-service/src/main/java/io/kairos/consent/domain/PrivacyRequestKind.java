package io.kairos.consent.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** What a data subject asks for: erasure, erasure that also refuses their later events, or a copy of their data. */
public enum PrivacyRequestKind {
    DELETE,
    SUPPRESS,
    EXPORT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Delete and suppress both remove the profile's data from every service. */
    public boolean erases() {
        return this != EXPORT;
    }

    public static PrivacyRequestKind parse(String raw) {
        for (PrivacyRequestKind kind : values()) {
            if (kind.wireName().equals(raw)) {
                return kind;
            }
        }
        throw new InvalidConsentInput("UNKNOWN_KIND", "kind", "kind must be delete, suppress or export, got '" + raw + "'",
                Map.of("allowed", String.join(",", Arrays.stream(values()).map(PrivacyRequestKind::wireName).toList())));
    }
}
