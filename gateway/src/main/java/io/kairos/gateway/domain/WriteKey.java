package io.kairos.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secret a source sends with every event. Only its SHA-256 hash is kept; the key itself
 * is shown once, when the source is created.
 */
public record WriteKey(String value) {

    /** 32 random bytes: 43 URL-safe characters. */
    private static final int RANDOM_BYTES = 32;

    public static WriteKey generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new WriteKey(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public String hash() {
        return hashOf(value);
    }

    /** Hex SHA-256 of a presented key: what sources are looked up by. */
    public static String hashOf(String presented) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(presented.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "WriteKey[***]";
    }
}
