package io.kairos.trigger.domain;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/** X-Kairos-Signature: lets the receiver verify the body came from us and was not altered. */
public final class WebhookSignature {

    public static final String HEADER = "X-Kairos-Signature";

    private WebhookSignature() {
    }

    /** {@code sha256=<lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the secret>}. */
    public static String of(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JRE", e);
        }
    }
}
