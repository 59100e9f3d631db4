package io.kairos.gateway.domain;

/** Names people give to workspaces and sources: non-blank, trimmed, bounded. */
final class DisplayName {

    private static final int MAX_LENGTH = 200;

    private DisplayName() {
    }

    static String require(String name, String field) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("FIELD_REQUIRED", field, field.substring(1) + " is required");
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_LENGTH) {
            throw new InvalidInputException("NAME_TOO_LONG", field,
                    field.substring(1) + " has at most " + MAX_LENGTH + " characters");
        }
        return trimmed;
    }
}
