package io.kairos.trigger.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Position after the last delivery of a page (newest first): opaque page tokens of ListDeliveries. */
public record DeliveryCursor(Instant firedAt, UUID firingId) {

    public String encode() {
        String plain = firedAt.toEpochMilli() + ":" + firingId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the token was not made by {@link #encode()} */
    public static DeliveryCursor decode(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            return new DeliveryCursor(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))),
                    UUID.fromString(plain.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a page token of this API", e);
        }
    }
}
