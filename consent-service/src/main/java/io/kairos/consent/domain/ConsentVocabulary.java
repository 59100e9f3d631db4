package io.kairos.consent.domain;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** A closed vocabulary of the ledger (purposes, channels, statuses) with lower-case wire names. */
interface ConsentVocabulary {

    String wireName();

    /** Strict: wire names are matched exactly, without case folding, so the ledger holds one spelling. */
    static <E extends Enum<E> & ConsentVocabulary> E parse(Class<E> type, String raw, String field, String unknownReason) {
        String value = TextField.required(raw, field);
        for (E candidate : type.getEnumConstants()) {
            if (candidate.wireName().equals(value)) {
                return candidate;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(ConsentVocabulary::wireName)
                .collect(Collectors.joining(", "));
        throw new InvalidConsentInput(unknownReason, field,
                field + " '" + value + "' is not one of " + allowed, Map.of("allowed", allowed));
    }
}
