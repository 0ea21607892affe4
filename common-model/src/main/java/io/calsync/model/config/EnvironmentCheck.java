package io.calsync.model.config;

import io.calsync.model.security.EncryptionKeys;
import io.calsync.model.security.JwtVerifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The start-up check of the variables the contract names. A service states which it needs; a missing or invalid one
 * stops it with one line naming the variable and the rule, never its value.
 */
public final class EnvironmentCheck {

    /** The variables a service may require. */
    public enum Variable {
        SECRET_KEY,
        ENCRYPTION_KEY,
        DATABASE_URL
    }

    private EnvironmentCheck() {}

    /**
     * @param env the process environment (or a test's map)
     * @param required the variables this service needs
     * @param devProfile whether the dev profile is active: then {@code ENCRYPTION_KEY} may be absent
     * @return the problems, one sentence each; empty when the service may start
     */
    public static List<String> problems(Map<String, String> env, Set<Variable> required, boolean devProfile) {
        List<String> problems = new ArrayList<>();
        EnumSet<Variable> wanted = required.isEmpty() ? EnumSet.noneOf(Variable.class) : EnumSet.copyOf(required);
        if (wanted.contains(Variable.SECRET_KEY)) {
            String v = env.get("SECRET_KEY");
            if (v == null || v.isEmpty()) {
                problems.add("SECRET_KEY is missing (the HS256 key of the main app's JWTs, at least "
                        + JwtVerifier.MIN_SECRET_BYTES + " bytes)");
            } else if (v.getBytes(StandardCharsets.UTF_8).length < JwtVerifier.MIN_SECRET_BYTES) {
                problems.add("SECRET_KEY is too short: it must be at least " + JwtVerifier.MIN_SECRET_BYTES
                        + " bytes (got " + v.getBytes(StandardCharsets.UTF_8).length + ")");
            }
        }
        if (wanted.contains(Variable.ENCRYPTION_KEY)) {
            String v = env.get("ENCRYPTION_KEY");
            if (v == null || v.isEmpty()) {
                if (!devProfile) {
                    problems.add(
                            "ENCRYPTION_KEY is missing (32 characters or base64 of 32 bytes; required outside the dev profile)");
                }
            } else {
                try {
                    EncryptionKeys.parse(v);
                } catch (IllegalArgumentException e) {
                    problems.add("ENCRYPTION_KEY is invalid: it " + e.getMessage());
                }
            }
        }
        if (wanted.contains(Variable.DATABASE_URL)) {
            String v = env.get("DATABASE_URL");
            if (v == null || v.isEmpty()) {
                problems.add("DATABASE_URL is missing (postgresql://user:pass@host:port/db or jdbc:postgresql://...)");
            } else {
                try {
                    DatabaseUrl.parse(v);
                } catch (IllegalArgumentException e) {
                    problems.add("DATABASE_URL is invalid: it " + e.getMessage());
                }
            }
        }
        return problems;
    }
}
