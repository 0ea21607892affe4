package io.calsync.gateway.application;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The structural rules of RFC 5545 §3.3.10 that ical4j's parser does not enforce, checked before a rule from the
 * frontend is stored: one value per part, known parts, FREQ present, COUNT and UNTIL not together, and the
 * part/frequency combinations the RFC forbids. INTERVAL is capped so that no rule can reach past year 9999. The
 * contract's bounds: nothing more frequent than HOURLY, and UNTIL between 1900 and 2200.
 */
final class RruleRules {

    static final int MAX_INTERVAL = 1000;
    private static final Set<String> PARTS = Set.of(
            "FREQ",
            "UNTIL",
            "COUNT",
            "INTERVAL",
            "BYSECOND",
            "BYMINUTE",
            "BYHOUR",
            "BYDAY",
            "BYMONTHDAY",
            "BYYEARDAY",
            "BYWEEKNO",
            "BYMONTH",
            "BYSETPOS",
            "WKST",
            "RSCALE",
            "SKIP");
    private static final Set<String> FREQS =
            Set.of("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY");
    private static final Pattern BYDAY = Pattern.compile("^([+-]?\\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$");
    private static final Pattern NUMBERS = Pattern.compile("^[+-]?\\d{1,3}(,[+-]?\\d{1,3})*$");

    private RruleRules() {}

    /** Why the rule is not acceptable, or null when it is. */
    static String problem(String rule) {
        Map<String, String> parts = new HashMap<>();
        for (String part : rule.split(";", -1)) {
            String[] kv = part.split("=", -1);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                return "has a malformed part '" + part + "'";
            }
            String name = kv[0].toUpperCase(Locale.ROOT);
            if (!PARTS.contains(name)) {
                return "has an unknown part " + name;
            }
            if (parts.put(name, kv[1].toUpperCase(Locale.ROOT)) != null) {
                return "repeats the part " + name;
            }
        }
        String freq = parts.get("FREQ");
        if (freq == null || !FREQS.contains(freq)) {
            return "needs FREQ (DAILY, WEEKLY, MONTHLY, YEARLY, ...)";
        }
        if (freq.equals("SECONDLY") || freq.equals("MINUTELY")) {
            return "may not repeat more often than HOURLY (FREQ=" + freq + ")";
        }
        if (parts.containsKey("UNTIL")) {
            String until = parts.get("UNTIL");
            java.time.LocalDate day;
            try {
                day = java.time.LocalDate.parse(
                        until.length() >= 8 ? until.substring(0, 8) : until,
                        java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
            } catch (java.time.format.DateTimeParseException e) {
                return "has an invalid UNTIL";
            }
            if (!TimeBounds.inside(day)) {
                return "needs an UNTIL between 1900 and 2200";
            }
        }
        if (parts.containsKey("COUNT") && parts.containsKey("UNTIL")) {
            return "may not have both COUNT and UNTIL";
        }
        if (parts.containsKey("INTERVAL")) {
            try {
                int interval = Integer.parseInt(parts.get("INTERVAL"));
                if (interval < 1 || interval > MAX_INTERVAL) {
                    return "needs an INTERVAL from 1 to " + MAX_INTERVAL;
                }
            } catch (NumberFormatException e) {
                return "has a non-numeric INTERVAL";
            }
        }
        if (parts.containsKey("COUNT") && !parts.get("COUNT").matches("^\\d{1,5}$")) {
            return "has an invalid COUNT";
        }
        for (String numeric : new String[] {
            "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "BYHOUR", "BYMINUTE", "BYSECOND"
        }) {
            if (parts.containsKey(numeric)
                    && !NUMBERS.matcher(parts.get(numeric)).matches()) {
                return "has an invalid " + numeric;
            }
        }
        if (parts.containsKey("BYDAY")) {
            for (String day : parts.get("BYDAY").split(",")) {
                var m = BYDAY.matcher(day);
                if (!m.matches()) {
                    return "has an invalid BYDAY value " + day;
                }
                if (m.group(1) != null && !freq.equals("MONTHLY") && !freq.equals("YEARLY")) {
                    return "may number BYDAY only with FREQ=MONTHLY or YEARLY";
                }
                if (m.group(1) != null && freq.equals("YEARLY") && parts.containsKey("BYWEEKNO")) {
                    return "may not number BYDAY together with BYWEEKNO";
                }
            }
        }
        if (parts.containsKey("BYWEEKNO") && !freq.equals("YEARLY")) {
            return "may use BYWEEKNO only with FREQ=YEARLY";
        }
        if (parts.containsKey("BYYEARDAY")
                && Set.of("DAILY", "WEEKLY", "MONTHLY").contains(freq)) {
            return "may not use BYYEARDAY with FREQ=" + freq;
        }
        if (parts.containsKey("BYMONTHDAY") && freq.equals("WEEKLY")) {
            return "may not use BYMONTHDAY with FREQ=WEEKLY";
        }
        return null;
    }
}
