package io.calsync.model.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code DATABASE_URL} as the main app writes it ({@code postgresql://user:pass@host:port/db?sslmode=...}, also
 * {@code postgres://}), or a JDBC URL ({@code jdbc:postgresql://...}), turned into what a JDBC pool needs.
 */
public record DatabaseUrl(String jdbcUrl, String username, String password) {

    /**
     * @throws IllegalArgumentException with a message that names the problem and never repeats the password
     */
    public static DatabaseUrl parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String v = value.trim();
        if (v.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(v, null, null);
        }
        if (!v.startsWith("postgresql://") && !v.startsWith("postgres://")) {
            throw new IllegalArgumentException(
                    "must be a postgresql://user:pass@host:port/db URL or a jdbc:postgresql: URL");
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL (at index " + e.getIndex() + ")");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("names no host");
        }
        String path = uri.getRawPath();
        if (path == null || path.length() <= 1) {
            throw new IllegalArgumentException("names no database");
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hostPart);
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(path);
        if (uri.getRawQuery() != null && !uri.getRawQuery().isBlank()) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbcUrl + ", user=" + username + ", password=" + (password == null ? "none" : "***")
                + "]";
    }
}
