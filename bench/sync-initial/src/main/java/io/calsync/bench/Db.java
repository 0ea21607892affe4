package io.calsync.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A PostgreSQL server and database, read from the contract's {@code DATABASE_URL} ({@code postgresql://user:pass@host:port/db}
 * or {@code jdbc:postgresql://host:port/db?user=..&password=..}), and what the benchmark does to its own database.
 */
record Db(String host, int port, String database, String user, String password) {

    static Db parse(String url) {
        String rest = url.startsWith("jdbc:") ? url.substring(5) : url;
        URI uri = URI.create(rest.replaceFirst("^postgres(ql)?://", "postgresql://"));
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && p[0].equals("user")) {
                    user = decode(p[1]);
                } else if (p.length == 2 && p[0].equals("password")) {
                    password = decode(p[1]);
                }
            }
        }
        String db = uri.getPath() == null || uri.getPath().length() <= 1
                ? "postgres"
                : uri.getPath().substring(1);
        return new Db(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    Db withDatabase(String name) {
        return new Db(host, port, name, user, password);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    boolean local() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /**
     * The pool both sides use, set up as platform's calsync-defaults.properties sets up every service's: Hikari, 10
     * connections, pgjdbc with {@code reWriteBatchedInserts=true}.
     */
    HikariDataSource pool() {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbcUrl());
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(10);
        c.setConnectionTimeout(5000);
        c.setPoolName("bench-sync");
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        c.addDataSourceProperty("ApplicationName", "calsync-bench-sync");
        return new HikariDataSource(c);
    }

    private Connection open() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("ApplicationName", "calsync-bench-sync");
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /** A connection to the server's maintenance database (the URL's own, else {@code postgres}). */
    private Connection admin() throws SQLException {
        try {
            return open();
        } catch (SQLException e) {
            return withDatabase("postgres").open();
        }
    }

    /** A fresh, empty {@code name} on this server (an earlier run's is dropped first). */
    void recreate(String name) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + ident(name) + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + ident(name));
        }
    }

    void drop(String name) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + ident(name) + " WITH (FORCE)");
        }
    }

    private static String ident(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        return name;
    }
}
