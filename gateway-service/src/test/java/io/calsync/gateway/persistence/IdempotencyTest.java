package io.calsync.gateway.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.gateway.application.ApiException;
import org.junit.jupiter.api.Test;

class IdempotencyTest {

    @Test
    void aKeyIsOneTo255PrintableAsciiCharacters() {
        assertThat(Idempotency.validKey("a")).isEqualTo("a");
        assertThat(Idempotency.validKey("x".repeat(255))).hasSize(255);
        assertThat(Idempotency.validKey("create 2026-12-07 ~!")).isNotBlank();
        for (String bad : new String[] {"", "x".repeat(256), "caf\u00e9", "tab\tkey", "new\nline", "\u007f"}) {
            assertThatThrownBy(() -> Idempotency.validKey(bad))
                    .as("[%s]", bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status().value()).isEqualTo(422);
                        assertThat(e.errors().getFirst().field()).isEqualTo("Idempotency-Key");
                    });
        }
        assertThatThrownBy(() -> Idempotency.validKey(null)).isInstanceOf(ApiException.class);
    }

    @Test
    void theHashTellsBodiesApart() {
        assertThat(Idempotency.hash("{\"title\":\"a\"}")).hasSize(64).isEqualTo(Idempotency.hash("{\"title\":\"a\"}"));
        assertThat(Idempotency.hash("{\"title\":\"a\"}")).isNotEqualTo(Idempotency.hash("{\"title\":\"b\"}"));
    }
}
