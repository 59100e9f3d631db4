package io.kairos.profile.api;

import io.kairos.profile.store.EventCursor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/** The opaque page_token of ListEvents: a versioned, base64url-wrapped history cursor. */
final class EventPageToken {

    private static final String VERSION = "v1";
    private static final String SEPARATOR = "|";

    private EventPageToken() {
    }

    static String encode(EventCursor cursor) {
        String plain = VERSION + SEPARATOR + cursor.occurredAt() + SEPARATOR + cursor.messageId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or empty when the token was not issued by this service. */
    static Optional<EventCursor> decode(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|", 3);
            if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[2].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new EventCursor(Instant.parse(parts[1]), parts[2]));
        } catch (IllegalArgumentException | DateTimeParseException malformed) {
            return Optional.empty();
        }
    }
}
