package io.calsync.testsupport;

import io.calsync.localinfra.PostgresBinaryCache;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Real infrastructure for integration tests, one of each per test JVM and started on first use: a PostgreSQL 15
 * server with {@code wal_level=logical} (zonky's binaries from Maven Central, needing nothing but a JDK) and a
 * single-node KRaft Kafka broker with 12 partitions per topic.
 *
 * <p>{@code CALSYNC_TEST_JDBC_URL} (with {@code CALSYNC_TEST_DB_USER}/{@code _PASSWORD}) and
 * {@code CALSYNC_TEST_KAFKA} point the tests at servers that already run instead. Every test class that wants a clean
 * database asks for its own with {@link #newDatabase()}.
 */
public final class TestInfrastructure {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile EmbeddedPostgres postgres;
    private static volatile EmbeddedKafkaKraftBroker kafka;

    private TestInfrastructure() {}

    /** A JDBC URL, user and password of a database. */
    public record Database(String jdbcUrl, String username, String password) {

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, username, password);
        }
    }

    /** The JDBC URL of the shared server's {@code postgres} database. */
    public static synchronized Database server() {
        String external = System.getenv("CALSYNC_TEST_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return new Database(
                    external,
                    System.getenv().getOrDefault("CALSYNC_TEST_DB_USER", "postgres"),
                    System.getenv().getOrDefault("CALSYNC_TEST_DB_PASSWORD", ""));
        }
        if (postgres == null) {
            try {
                postgres = postgresBuilder()
                        .setServerConfig("max_replication_slots", "20")
                        .setServerConfig("max_wal_senders", "20")
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return new Database(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    }

    /**
     * zonky's builder with what every test server here needs: the binaries' cache repaired (a test JVM killed while
     * unpacking them must not break every later run), logical WAL for the outbox relay, no fsync, a minute to start.
     */
    static EmbeddedPostgres.Builder postgresBuilder() {
        PostgresBinaryCache.repair(PostgresBinaryCache.defaultDirectory());
        return EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("fsync", "off")
                .setPGStartupWait(Duration.ofSeconds(60));
    }

    /** A new, empty database on the shared server, for one test class. */
    public static Database newDatabase() {
        Database server = server();
        String name = "calsync_it_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = server.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        int slash = server.jdbcUrl().lastIndexOf('/');
        int query = server.jdbcUrl().indexOf('?', slash);
        String url = server.jdbcUrl().substring(0, slash + 1)
                + name
                + (query < 0 ? "" : server.jdbcUrl().substring(query));
        return new Database(url, server.username(), server.password());
    }

    /** Bootstrap servers of the shared broker. */
    public static synchronized String kafkaBootstrapServers() {
        String external = System.getenv("CALSYNC_TEST_KAFKA");
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (kafka == null) {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 12);
            broker.brokerProperty("auto.create.topics.enable", "false");
            broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
            broker.afterPropertiesSet();
            kafka = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        }
        return kafka.getBrokersAsString();
    }

    /** Registers a fresh database and the shared broker as a Spring test's properties. */
    public static Database register(DynamicPropertyRegistry registry) {
        Database db = newDatabase();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
        // Replication slots are server-wide: each test database gets its own, or two test classes of one service
        // would fight over the service's default slot name.
        String slot = "it_"
                + db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1).replaceAll("[^a-z0-9_]", "_");
        registry.add("calsync.outbox.relay.slot-name", () -> slot);
        return db;
    }
}
