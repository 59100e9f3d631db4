package io.kairos.gateway.domain;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WriteKeyTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void keys_are_long_url_safe_and_distinct() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = WriteKey.generate(random).value();
            assertThat(key).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+");
            keys.add(key);
        }
        assertThat(keys).hasSize(1000);
    }

    @Test
    void the_hash_is_the_hex_sha_256_of_the_key() {
        // sha256("abc") from FIPS 180-2.
        assertThat(WriteKey.hashOf("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        WriteKey key = WriteKey.generate(random);
        assertThat(key.hash()).isEqualTo(WriteKey.hashOf(key.value())).hasSize(64);
    }

    @Test
    void the_key_does_not_leak_into_logs() {
        WriteKey key = WriteKey.generate(random);

        assertThat(key.toString()).doesNotContain(key.value());
    }
}
