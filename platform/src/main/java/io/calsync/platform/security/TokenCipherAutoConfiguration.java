package io.calsync.platform.security;

import io.calsync.model.security.TokenCipher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The token cipher from {@code ENCRYPTION_KEY} (and {@code ENCRYPTION_KEY_PREVIOUS}, a comma list of keys still
 * accepted for reading during a rotation). Only the dev profile may run without a key: it then uses a fixed
 * development key and says so once.
 */
@AutoConfiguration
public class TokenCipherAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TokenCipherAutoConfiguration.class);

    @Bean
    @Lazy // created only where a service uses it: services without tokens need no ENCRYPTION_KEY
    @ConditionalOnMissingBean
    TokenCipher tokenCipher(Environment environment) {
        String primary = environment.getProperty("ENCRYPTION_KEY");
        List<String> previous = Arrays.stream(
                        environment.getProperty("ENCRYPTION_KEY_PREVIOUS", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        if (primary == null || primary.isBlank()) {
            if (!environment.acceptsProfiles(Profiles.of("dev"))) {
                throw new IllegalStateException("ENCRYPTION_KEY is missing (required outside the dev profile)");
            }
            log.warn("ENCRYPTION_KEY is not set: the dev profile encrypts tokens with a built-in development key");
            return new TokenCipher(
                    devKey(),
                    previous.stream()
                            .map(io.calsync.model.security.EncryptionKeys::parse)
                            .toList());
        }
        return TokenCipher.fromKeyStrings(primary, previous);
    }

    static byte[] devKey() {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest("calsync development key, never for production".getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
