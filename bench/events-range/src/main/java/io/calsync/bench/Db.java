package io.calsync.bench;

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
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new Db(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    Db withDatabase(String name) {
        return new Db(host, port, name, user, password);
    }

    /** The contract's form, for the gateway's DATABASE_URL. */
    String contractUrl() {
        return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
    }

    Connection open() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("reWriteBatchedInserts", "true");
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

    /**
     * A fresh, empty {@code name} on this server: drops the database of an earlier run (and the benchmark gateway's
     * replication slot, which is per server and would otherwise hold WAL), then creates it.
     */
    void recreate(String name, String slot) throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
                rs.next();
                if (!"logical".equals(rs.getString(1))) {
                    Log.say("warning: wal_level=" + rs.getString(1) + " on " + host + ":" + port
                            + "; the gateway's outbox relay needs logical");
                }
            }
            dropSlot(c, slot);
            s.execute("DROP DATABASE IF EXISTS " + ident(name) + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + ident(name));
        }
    }

    /** Drops the database and the slot; the gateway must have stopped (its slot is then inactive). */
    void drop(String name, String slot) throws SQLException, InterruptedException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (int i = 0; i < 50 && !dropSlot(c, slot); i++) {
                Thread.sleep(200); // a slot stays active for a moment after its walsender's client went away
            }
            s.execute("DROP DATABASE IF EXISTS " + ident(name) + " WITH (FORCE)");
        }
    }

    /** Drops only the slot (the database is kept for a look at the data). */
    void dropSlotOnly(String slot) throws SQLException, InterruptedException {
        try (Connection c = admin()) {
            c.setAutoCommit(true);
            for (int i = 0; i < 50 && !dropSlot(c, slot); i++) {
                Thread.sleep(200);
            }
        }
    }

    /** True when the slot is gone (or never existed); false while it is still active. */
    private static boolean dropSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return true;
                }
                if (rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            p.setString(1, slot);
            p.execute();
        }
        return true;
    }

    private static String ident(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        return name;
    }
}
