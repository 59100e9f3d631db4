package io.kairos.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Locale;

/**
 * An RFC 9457 problem detail, with Kairos' machine-readable {@code reason} (UPPER_SNAKE)
 * and, when one field is at fault, {@code field} as a JSON pointer into the request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String reason, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String reason, String detail, String field) {
        return new Problem("https://kairos.io/problems/" + reason.toLowerCase(Locale.ROOT).replace('_', '-'),
                titleOf(status), status, detail, reason, field);
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "Not authenticated";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 415 -> "Unsupported media type";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            default -> status >= 500 ? "Internal error" : "Request refused";
        };
    }
}
