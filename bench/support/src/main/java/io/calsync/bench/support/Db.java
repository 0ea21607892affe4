package io.calsync.bench.support;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A PostgreSQL server and database, read from the contract's {@code DATABASE_URL} ({@code postgresql://user:pass@host:port/db}
 * or {@code jdbc:postgresql://host:port/db?user=..&password=..}), and what the benchmark does to its own database and
 * replication slots.
 */
public record Db(String host, int port, String database, String user, String password) {

    public static Db parse(String url) {
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

    public Db withDatabase(String name) {
        return new Db(host, port, name, user, password);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The contract's form, as the services read it from {@code DATABASE_URL}. */
    public String contractUrl() {
        return "postgresql://" + enc(user) + ":" + enc(password) + "@" + host + ":" + port + "/" + database;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public boolean local() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    public Connection open() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("ApplicationName", "calsync-bench");
        p.setProperty("reWriteBatchedInserts", "true");
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

    /** A fresh, empty {@code name} on this server (an earlier run's is dropped first, with its slots). */
    public void recreate(String name, String... slots) throws SQLException, InterruptedException {
        warnUnlessLogicalWal();
        drop(name, slots);
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + ident(name));
        }
    }

    /**
     * Drops the replication slots, then the database: PostgreSQL refuses to drop a database that a logical slot
     * still reads, and a forgotten slot would keep the server's WAL forever.
     */
    public void drop(String name, String... slots) throws SQLException, InterruptedException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            for (String slot : slots) {
                dropSlot(c, slot);
            }
            s.execute("DROP DATABASE IF EXISTS " + ident(name) + " WITH (FORCE)");
        }
    }

    /** Says so when the server cannot run an outbox relay (Debezium needs {@code wal_level=logical}). */
    public void warnUnlessLogicalWal() throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW wal_level")) {
            rs.next();
            if (!"logical".equals(rs.getString(1))) {
                Log.say("warning: wal_level=" + rs.getString(1) + " on " + host + ":" + port
                        + "; a service's outbox relay needs logical");
            }
        }
    }

    /** Drops one slot once no walsender holds it any more (a stopped relay lets go a moment after its process). */
    public void dropSlot(String slot) throws SQLException, InterruptedException {
        try (Connection c = admin()) {
            dropSlot(c, slot);
        }
    }

    private static void dropSlot(Connection c, String slot) throws SQLException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (PreparedStatement p =
                    c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
                p.setString(1, slot);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    if (!rs.getBoolean(1)) {
                        try (PreparedStatement d = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                            d.setString(1, slot);
                            d.execute();
                        }
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new SQLException("replication slot " + slot + " is still in use after 20 s");
    }

    private static String ident(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        return name;
    }
}
