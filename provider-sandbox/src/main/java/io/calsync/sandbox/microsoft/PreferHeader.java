package io.calsync.sandbox.microsoft;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Prefer} request header preferences Graph's calendar API honours: {@code odata.maxpagesize=N},
 * {@code outlook.timezone="..."} (Windows or IANA name) and {@code IdType="ImmutableId"}. Preferences may come in
 * several headers or comma-separated in one. What was honoured goes back in {@code Preference-Applied}.
 */
record PreferHeader(Integer maxPageSize, String timeZone, boolean immutableId) {

    static PreferHeader parse(Enumeration<String> headers) {
        Integer max = null;
        String tz = null;
        boolean immutable = false;
        while (headers != null && headers.hasMoreElements()) {
            for (String token : split(headers.nextElement())) {
                int eq = token.indexOf('=');
                String name = (eq < 0 ? token : token.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : unquote(token.substring(eq + 1).trim());
                switch (name) {
                    case "odata.maxpagesize" -> {
                        try {
                            max = Integer.parseInt(value);
                        } catch (NumberFormatException ignored) {
                            // Graph ignores a preference it cannot read
                        }
                    }
                    case "outlook.timezone" -> tz = value;
                    case "idtype" -> immutable = value.equalsIgnoreCase("ImmutableId");
                    default -> {}
                }
            }
        }
        return new PreferHeader(max != null && max > 0 ? max : null, tz, immutable);
    }

    /** The zone to write start/end in: the preferred one if Graph knows it, UTC otherwise. */
    RenderZone zone() {
        return TimeZones.resolve(timeZone)
                .map(z -> new RenderZone(z, timeZone.trim()))
                .orElse(RenderZone.UTC);
    }

    /** {@code Preference-Applied} for what a response honoured (null: nothing). */
    String applied(boolean pageSizeApplied, int pageSize, String... extra) {
        List<String> out = new ArrayList<>(List.of(extra));
        if (pageSizeApplied && maxPageSize != null) {
            out.add("odata.maxpagesize=" + pageSize);
        }
        if (zone() != RenderZone.UTC) {
            out.add("outlook.timezone=\"" + timeZone.trim() + "\"");
        }
        if (immutableId) {
            // ids never change in the sandbox, so every id is immutable already
            out.add("IdType=\"ImmutableId\"");
        }
        return out.isEmpty() ? null : String.join(", ", out);
    }

    private static List<String> split(String header) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString().trim());
        }
        return out;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
