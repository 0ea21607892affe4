package io.calsync.platform.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The database the relay reads, taken from the service's own {@code spring.datasource.*}: the JDBC URL (without any
 * password) for the relay's own connections (its lock, its offsets) and the host, port and database Debezium wants
 * separately. Parsed
 * by the PostgreSQL driver itself, so that every URL form the data source accepts is understood the same way.
 */
public record PostgresEndpoint(
        String jdbcUrl, String host, int port, String database, String username, String password, String sslMode) {

    /**
     * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL (the message never includes it,
     *     since it may carry a password)
     */
    public static PostgresEndpoint of(String jdbcUrl, String username, String password) {
        Properties parsed = jdbcUrl == null ? null : Driver.parseURL(jdbcUrl, new Properties());
        if (parsed == null) {
            throw new IllegalArgumentException("the outbox relay needs a jdbc:postgresql: data source URL");
        }
        // A multi-host URL lists hosts and ports comma-separated; logical replication has to go to the primary,
        // which is the first one in the usual (targetServerType=primary) set-ups.
        String host = parsed.getProperty("PGHOST", "localhost").split(",")[0];
        int port = Integer.parseInt(parsed.getProperty("PGPORT", "5432").split(",")[0]);
        String user = username != null && !username.isBlank() ? username : parsed.getProperty("user");
        String pass = password != null ? password : parsed.getProperty("password");
        return new PostgresEndpoint(
                withoutPassword(jdbcUrl),
                host,
                port,
                parsed.getProperty("PGDBNAME"),
                user,
                pass,
                parsed.getProperty("sslmode"));
    }

    /**
     * The URL ends up in Debezium's configuration, which it logs; a password in it moves to {@link #password} (the
     * connections get it from there, and Debezium masks it).
     */
    static String withoutPassword(String jdbcUrl) {
        return jdbcUrl.replaceAll("([?&])password=[^&]*&?", "$1").replaceAll("[?&]$", "");
    }

    /** A connection of the relay's own, outside the pool: it lives as long as the relay needs it. */
    public Connection connect(String applicationName) throws SQLException {
        Properties props = new Properties();
        if (username != null) {
            props.setProperty("user", username);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(jdbcUrl, props);
    }

    @Override
    public String toString() { // never the password
        return "PostgresEndpoint[" + host + ":" + port + "/" + database + " as " + username + "]";
    }
}
