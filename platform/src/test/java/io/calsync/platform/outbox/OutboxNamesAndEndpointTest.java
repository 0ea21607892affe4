package io.calsync.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutboxNamesAndEndpointTest {

    @Test
    void aServiceNameBecomesASlotNamePostgresAccepts() {
        RelayNames names = RelayNames.of("gateway-service", null);
        assertThat(names.slot()).isEqualTo("calsync_gateway_service");
        assertThat(names.engine()).isEqualTo("outbox-relay-gateway-service");
        assertThat(names.consumer()).isEqualTo("outbox-relay:gateway-service");
        assertThat(RelayNames.of("Weird.Name/ä", "").slot()).isEqualTo("calsync_weird_name__");
        assertThat(RelayNames.of("x".repeat(100), null).slot()).hasSize(63);
        assertThat(RelayNames.of("gateway-service", "it_slot_1").slot()).isEqualTo("it_slot_1");
        assertThatThrownBy(() -> RelayNames.of(" ", null)).hasMessageContaining("spring.application.name");
    }

    @Test
    void theEndpointComesFromTheDataSourceUrl() {
        PostgresEndpoint e =
                PostgresEndpoint.of("jdbc:postgresql://db.example:5433/calendar?sslmode=require", "cal", "secret");
        assertThat(e.host()).isEqualTo("db.example");
        assertThat(e.port()).isEqualTo(5433);
        assertThat(e.database()).isEqualTo("calendar");
        assertThat(e.username()).isEqualTo("cal");
        assertThat(e.sslMode()).isEqualTo("require");
        assertThat(e.toString()).doesNotContain("secret");

        PostgresEndpoint defaults =
                PostgresEndpoint.of("jdbc:postgresql:calendar?user=u&password=p&ssl=true", null, null);
        assertThat(defaults.host()).isEqualTo("localhost");
        assertThat(defaults.port()).isEqualTo(5432);
        assertThat(defaults.username()).isEqualTo("u");
        assertThat(defaults.password()).isEqualTo("p");
        assertThat(defaults.jdbcUrl()).isEqualTo("jdbc:postgresql:calendar?user=u&ssl=true");
        assertThat(PostgresEndpoint.withoutPassword("jdbc:postgresql://h/db?password=p"))
                .isEqualTo("jdbc:postgresql://h/db");
        assertThat(PostgresEndpoint.withoutPassword("jdbc:postgresql://h/db?ssl=true&password=p"))
                .isEqualTo("jdbc:postgresql://h/db?ssl=true");

        assertThat(PostgresEndpoint.of("jdbc:postgresql://a:5433,b:5434/db", "u", null)
                        .host())
                .isEqualTo("a");
    }

    @Test
    void anotherDatabaseIsRefusedWithoutRepeatingTheUrl() {
        assertThatThrownBy(() -> PostgresEndpoint.of("jdbc:mysql://h/db?password=hunter2", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("hunter2");
    }
}
