package io.kairos.gateway.domain;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.regex.Pattern;

/** A workspace (tenant) as an admin asks for it: slug id, display name, home time zone. */
public record WorkspaceDefinition(String id, String name, ZoneId timezone) {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9-]{2,40}");

    /** Validates raw input; a missing time zone means UTC. */
    public static WorkspaceDefinition of(String id, String name, String timezone) {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("FIELD_REQUIRED", "/id", "id is required");
        }
        if (!SLUG.matcher(id).matches()) {
            throw new InvalidInputException("INVALID_WORKSPACE_ID", "/id",
                    "id must be 2 to 40 characters of a-z, 0-9 and '-', got '" + id + "'");
        }
        String trimmedName = DisplayName.require(name, "/name");
        ZoneId zone;
        try {
            zone = timezone == null ? ZoneId.of("UTC") : ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new InvalidInputException("INVALID_TIMEZONE", "/timezone",
                    "timezone must be an IANA time zone id such as Europe/Berlin, got '" + timezone + "'");
        }
        return new WorkspaceDefinition(id, trimmedName, zone);
    }
}
