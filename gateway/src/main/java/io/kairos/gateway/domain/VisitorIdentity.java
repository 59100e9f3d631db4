package io.kairos.gateway.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Who a browser or app says it is on the real-time channel: its Segment {@code userId} and/or
 * {@code anonymousId}, as its analytics library knows them. Blank values count as absent.
 */
public record VisitorIdentity(String userId, String anonymousId) {

    /** One identifier as profile-service resolves it: type {@code userId} or {@code anonymousId}. */
    public record Claim(String type, String value) {
    }

    public VisitorIdentity {
        userId = blankToNull(userId);
        anonymousId = blankToNull(anonymousId);
        if (userId == null && anonymousId == null) {
            throw new InvalidInputException("IDENTITY_REQUIRED", "/anonymousId",
                    "say who the visitor is: anonymousId or userId, as the analytics library sends them");
        }
    }

    /**
     * The identifiers to resolve the visitor by, userId first: once a visitor identified, the
     * userId names the profile for good, while the anonymousId of a new device may not have
     * reached profile-service yet.
     */
    public List<Claim> claims() {
        List<Claim> claims = new ArrayList<>(2);
        if (userId != null) {
            claims.add(new Claim("userId", userId));
        }
        if (anonymousId != null) {
            claims.add(new Claim("anonymousId", anonymousId));
        }
        return claims;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
