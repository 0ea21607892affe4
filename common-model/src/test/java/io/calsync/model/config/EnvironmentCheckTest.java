package io.calsync.model.config;

import static io.calsync.model.config.EnvironmentCheck.Variable.DATABASE_URL;
import static io.calsync.model.config.EnvironmentCheck.Variable.ENCRYPTION_KEY;
import static io.calsync.model.config.EnvironmentCheck.Variable.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentCheckTest {

    private static final EnumSet<EnvironmentCheck.Variable> ALL = EnumSet.of(SECRET_KEY, ENCRYPTION_KEY, DATABASE_URL);
    private static final Map<String, String> GOOD = Map.of(
            "SECRET_KEY", "s".repeat(32),
            "ENCRYPTION_KEY", "k".repeat(32),
            "DATABASE_URL", "postgresql://calsync:pw@localhost:5432/calsync");

    @Test
    void aCompleteEnvironmentPasses() {
        assertThat(EnvironmentCheck.problems(GOOD, ALL, false)).isEmpty();
    }

    @Test
    void namesEachMissingVariable() {
        assertThat(EnvironmentCheck.problems(Map.of(), ALL, false))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("SECRET_KEY is missing"))
                .anySatisfy(p -> assertThat(p).startsWith("ENCRYPTION_KEY is missing"))
                .anySatisfy(p -> assertThat(p).startsWith("DATABASE_URL is missing"));
    }

    @Test
    void onlyChecksWhatTheServiceNeeds() {
        assertThat(EnvironmentCheck.problems(Map.of(), EnumSet.of(DATABASE_URL), false))
                .hasSize(1);
    }

    @Test
    void refusesAShortSecretKeyWithoutEchoingIt() {
        var env = new java.util.HashMap<>(GOOD);
        env.put("SECRET_KEY", "tooshort-secret");
        assertThat(EnvironmentCheck.problems(env, ALL, false))
                .singleElement()
                .satisfies(
                        p -> assertThat(p).contains("SECRET_KEY is too short").doesNotContain("tooshort-secret"));
    }

    @Test
    void refusesAMalformedEncryptionKeyAndDatabaseUrl() {
        var env = new java.util.HashMap<>(GOOD);
        env.put("ENCRYPTION_KEY", "abc");
        env.put("DATABASE_URL", "mysql://x");
        assertThat(EnvironmentCheck.problems(env, ALL, false))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("ENCRYPTION_KEY is invalid"))
                .anySatisfy(p -> assertThat(p).startsWith("DATABASE_URL is invalid"));
    }

    @Test
    void theDevProfileMayRunWithoutAnEncryptionKey() {
        var env = new java.util.HashMap<>(GOOD);
        env.remove("ENCRYPTION_KEY");
        assertThat(EnvironmentCheck.problems(env, ALL, true)).isEmpty();
        assertThat(EnvironmentCheck.problems(env, ALL, false)).hasSize(1);
    }

    @Test
    void parsesTheMainAppsDatabaseUrl() {
        DatabaseUrl url =
                DatabaseUrl.parse("postgresql://cal%40user:p%3Ass+word@db.internal:6543/calendar?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/calendar?sslmode=require");
        assertThat(url.username()).isEqualTo("cal@user");
        assertThat(url.password()).isEqualTo("p:ss+word");
        assertThat(url.toString()).doesNotContain("p:ss+word");
    }

    @Test
    void acceptsPostgresSchemeAndJdbcUrlsAsTheyAre() {
        assertThat(DatabaseUrl.parse("postgres://u@localhost/db").jdbcUrl())
                .isEqualTo("jdbc:postgresql://localhost/db");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h:1/d?user=x").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h:1/d?user=x");
    }

    @Test
    void refusesUrlsWithoutHostOrDatabase() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://user:pw@/db")).hasMessageContaining("host");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://user:secretpw@host:5432"))
                .hasMessageContaining("database")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secretpw"));
    }
}
