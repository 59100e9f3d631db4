package io.kairos.trigger.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

    @Test
    void isTheHexHmacSha256OfTheBody() {
        // RFC 4231, test case 2.
        byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignature.of("Jefe", body))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void changesWithTheBodyAndTheSecret() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] tampered = "{\"a\":2}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignature.of("s3cret", body))
                .isNotEqualTo(WebhookSignature.of("s3cret", tampered))
                .isNotEqualTo(WebhookSignature.of("other", body))
                .isEqualTo(WebhookSignature.of("s3cret", body.clone()));
    }
}
