package io.kairos.profile.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a suppressed identifier is remembered: SHA-256 over the workspace, the type and the
 * normalised value, hex-encoded. The workspace is part of the input, so one person suppressed in
 * workspace A is not suppressed in B, and equal digests across workspaces reveal nothing.
 */
public final class SuppressionDigest {

    // PostgreSQL text cannot hold NUL, so no workspace id or identifier contains it: the parts
    // cannot run into each other ("ab"+"c" and "a"+"bc" hash differently).
    private static final char SEPARATOR = '\0';

    private SuppressionDigest() {
    }

    public static String of(String workspace, Identifier identifier) {
        String input = workspace + SEPARATOR + identifier.type() + SEPARATOR + identifier.value();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
