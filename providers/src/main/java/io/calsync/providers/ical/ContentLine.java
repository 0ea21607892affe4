package io.calsync.providers.ical;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One unfolded iCalendar content line ({@code NAME;PARAM=value:value}), read leniently: names are upper-cased,
 * empty parameters ({@code ;;}) and parameters without a value are left out, so that the line written back is one
 * ical4j's strict tokenizer accepts. A line that has no name or no colon after its parameters is not a content line
 * ({@link #parse} answers null).
 *
 * @param name the property name, upper case
 * @param params the parameters as written ({@code NAME=value[,value]}, quotes kept), name upper-cased
 * @param value everything after the colon, unchanged
 * @param droppedParams how many parameters were left out as malformed
 */
record ContentLine(String name, List<String> params, String value, int droppedParams) {

    static ContentLine parse(String line) {
        int i = nameEnd(line, 0);
        if (i == 0) {
            return null;
        }
        String name = line.substring(0, i).toUpperCase(Locale.ROOT);
        List<String> params = new ArrayList<>();
        int dropped = 0;
        while (i < line.length() && line.charAt(i) == ';') {
            int start = i + 1;
            int paramNameEnd = nameEnd(line, start);
            int end = paramEnd(line, paramNameEnd);
            if (end < 0) {
                return null; // an unterminated quote: nothing after it can be trusted
            }
            if (paramNameEnd > start && paramNameEnd < line.length() && line.charAt(paramNameEnd) == '=') {
                params.add(line.substring(start, paramNameEnd).toUpperCase(Locale.ROOT)
                        + line.substring(paramNameEnd, end));
            } else if (end > start) {
                dropped++;
            }
            i = end;
        }
        if (i >= line.length() || line.charAt(i) != ':') {
            return null;
        }
        return new ContentLine(name, List.copyOf(params), line.substring(i + 1), dropped);
    }

    /** The end of a name ({@code [A-Za-z0-9_-]*}) starting at {@code from}. */
    private static int nameEnd(String line, int from) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /** The end of a parameter: the next {@code ;} or {@code :} outside quotes, or -1 for an unterminated quote. */
    private static int paramEnd(String line, int from) {
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == ';' || c == ':')) {
                return i;
            }
        }
        return quoted ? -1 : line.length();
    }

    boolean isBegin() {
        return name.equals("BEGIN");
    }

    boolean isEnd() {
        return name.equals("END");
    }

    /** The component name of a BEGIN or END line, upper case. */
    String componentName() {
        return value.strip().toUpperCase(Locale.ROOT);
    }

    boolean hasParam(String paramName, String paramValue) {
        String wanted = paramName + "=" + paramValue;
        return params.stream().anyMatch(p -> p.equalsIgnoreCase(wanted));
    }

    ContentLine withValue(String newValue) {
        return new ContentLine(name, params, newValue, droppedParams);
    }

    ContentLine withParam(String param) {
        List<String> more = new ArrayList<>(params);
        more.add(param);
        return new ContentLine(name, List.copyOf(more), value, droppedParams);
    }

    ContentLine withoutParam(String paramName) {
        String prefix = paramName + "=";
        return new ContentLine(
                name, params.stream().filter(p -> !p.startsWith(prefix)).toList(), value, droppedParams);
    }

    /** The line as iCalendar text, unfolded (ical4j reads lines of any length). */
    String format() {
        StringBuilder b = new StringBuilder(name);
        params.forEach(p -> b.append(';').append(p));
        return b.append(':').append(value).toString();
    }

    /** A text value with the escapes of RFC 5545 §3.3.11 undone. */
    static String unescapeText(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                b.append(next == 'n' || next == 'N' ? '\n' : next);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
