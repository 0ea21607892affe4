package io.calsync.deploycheck;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a parser: it removes what cannot be a metric name (strings,
 * label matchers, ranges, grouping label lists, Grafana's variables), then takes every identifier that is neither
 * a function call nor a keyword. Enough for the expressions of alerts.yml and the dashboard, which PromQlTest pins.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQl() {}

    static Set<String> metricNames(String expression) {
        String s = expression
                // Grafana: $__rate_interval, $__interval, ${var}, $var
                .replaceAll("\\$__\\w+", "5m")
                .replaceAll("\\$\\{\\w+}|\\$\\w+", "x")
                // strings first, so that braces and brackets inside them do not confuse what follows
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("`[^`]*`", "``")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            boolean afterDigit = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            boolean call = s.substring(m.end()).stripLeading().startsWith("(");
            if (!afterDigit && !call && !KEYWORDS.contains(id.toLowerCase())) {
                names.add(id);
            }
        }
        return names;
    }
}
