package io.calsync.ingest.application;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void equalSecretsMatchAndAnyDifferenceDoesNot() {
        assertThat(Secrets.matches("s3cret-value", "s3cret-value")).isTrue();
        assertThat(Secrets.matches("s3cret-value", "s3cret-valuf")).isFalse();
        assertThat(Secrets.matches("s3cret-value", "s3cret-valu")).isFalse();
        assertThat(Secrets.matches("s3cret-value", "s3cret-value ")).isFalse();
        assertThat(Secrets.matches("s3cret-value", null)).isFalse();
        assertThat(Secrets.matches("ünïcode", "ünïcode")).isTrue();
    }

    @Test
    void noStoredSecretMatchesOnlyAnAbsentOne() {
        assertThat(Secrets.matches(null, null)).isTrue();
        assertThat(Secrets.matches(null, "")).isTrue();
        assertThat(Secrets.matches("", null)).isTrue();
        assertThat(Secrets.matches(null, "x")).isFalse();
    }
}
