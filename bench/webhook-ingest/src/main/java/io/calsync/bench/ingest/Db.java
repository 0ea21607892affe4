package io.calsync.bench.ingest;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A PostgreSQL server and database, read from the contract's {@code DATABASE_URL}
 * ({@code postgresql://user:pass@host:port/db} or {@code jdbc:postgresql://host:port/db?user=..&password=..}), and
 * the benchmark's own database on it.
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

    /** The contract's form, for the service's DATABASE_URL. */
    String contractUrl() {
        return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
    }

    Connection open() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("ApplicationName", "calsync-bench");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    /** A connection to the server's maintenance database (the URL's own, else {@code postgres}). */
    private Connection admin() throws SQLException {
        try {
            return open();
        } catch (SQLException e) {
            return withDatabase("postgres").open();
        }
    }

    /** A fresh, empty database (one of an earlier run is dropped first). */
    void recreate(String name) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("DROP DATABASE IF EXISTS " + ident(name) + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + ident(name));
        }
    }

    void drop(String name) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            c.setAutoCommit(true);
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
