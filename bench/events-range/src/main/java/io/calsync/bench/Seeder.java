package io.calsync.bench;

import io.calsync.bench.support.Db;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Seeds one user with {@code events} rows over {@code BENCH_SPAN_DAYS} days (two years by default) in four calendars, {@code series} of them recurring series
 * masters (weekly, weekday, daily, monthly and yearly all-day rules; EXDATEs, overrides and cancelled occurrences),
 * realistic durations with a few multi-day events (so max_event_duration_secs matters), attendees and reminders on a
 * fraction; plus other users' events generated inside PostgreSQL, so that the table is larger than one user's. The
 * user's rows are COPYed in shuffled order (a sync does not write them in time order). Deterministic for a seed.
 */
final class Seeder {

    static final LocalDate SPAN_FIRST_DAY = LocalDate.of(2025, 1, 1);
    /** The seeded span: 730 days for the stress set (68 events a day), 3,650 for the realistic one (~14 a day). */
    static final int SPAN_DAYS = Integer.parseInt(System.getenv().getOrDefault("BENCH_SPAN_DAYS", "730"));
    static final Instant SPAN_START =
            SPAN_FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
    static final Instant SPAN_END =
            SPAN_FIRST_DAY.plusDays(SPAN_DAYS).atStartOfDay(ZoneOffset.UTC).toInstant();

    private static final DateTimeFormatter BASIC_LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final DateTimeFormatter BASIC_UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static final String EVENT_COLUMNS = "id, connection_id, provider_event_id, ical_uid, title, description,"
            + " location, start_time, end_time, is_all_day, start_date, end_date, timezone, status, recurrence_rule,"
            + " recurrence, recurrence_frequency, recurring_event_id, original_start_time, organizer_email, html_link,"
            + " etag, sync_status, sync_error, pending_operation, sequence, created_at, updated_at, last_synced_at";

    /** A calendar of the user, with its share of the single events and of the series. */
    record Cal(UUID id, String provider, String name, ZoneId zone, double singlesShare, double seriesShare) {}

    /** A series master as far as the report needs it: when it starts and when its last occurrence ends. */
    record Series(UUID id, UUID calendarId, Instant start, Instant lastEnd) {
        boolean liveIn(Instant windowStart) {
            return lastEnd == null || lastEnd.isAfter(windowStart);
        }
    }

    record Result(
            List<Cal> calendars,
            int singles,
            List<Series> series,
            int overrides,
            int cancelledOccurrences,
            int exdates,
            int attendees,
            int reminders,
            Map<UUID, Long> longestByCalendar,
            long userRows,
            long tableRows,
            long otherUsers,
            long attendeeTableRows,
            long reminderTableRows,
            double seconds) {}

    private enum Kind {
        WEEKLY,
        WEEKDAYS,
        DAILY,
        MONTHLY,
        YEARLY_ALL_DAY
    }

    private final Random rnd;
    private final int totalEvents;
    private final int seriesCount;
    private final List<String> eventRows = new ArrayList<>();
    private final StringBuilder attendeeRows = new StringBuilder();
    private final StringBuilder reminderRows = new StringBuilder();
    private int attendeeCount;
    private int reminderCount;
    private int overrides;
    private int cancelled;
    private int exdates;

    Seeder(long seed, int totalEvents, int seriesCount) {
        this.rnd = new Random(seed);
        this.totalEvents = totalEvents;
        this.seriesCount = seriesCount;
    }

    Result seed(Db db, UUID userId, String email, int otherUsers, int otherEventsPerUser)
            throws SQLException, IOException {
        long t0 = System.nanoTime();
        List<Cal> cals = List.of(
                new Cal(UUID.randomUUID(), "GOOGLE", "Work", NEW_YORK, 0.45, 0.50),
                new Cal(UUID.randomUUID(), "GOOGLE", "Personal", NEW_YORK, 0.25, 0.15),
                new Cal(UUID.randomUUID(), "MICROSOFT", "Team", BERLIN, 0.25, 0.30),
                new Cal(UUID.randomUUID(), "ICS", "Holidays", ZoneId.of("UTC"), 0.05, 0.05));
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < seriesCount; i++) {
            series.add(series(pick(cals, true), i));
        }
        int singles = totalEvents - seriesCount - overrides - cancelled;
        int left = singles;
        for (int c = 0; c < cals.size(); c++) {
            Cal cal = cals.get(c);
            int n = c == cals.size() - 1 ? left : (int) Math.round(singles * cal.singlesShare());
            left -= n;
            for (int j = 0; j < n; j++) {
                single(cal, j);
            }
        }
        Collections.shuffle(eventRows, rnd);

        long otherRows;
        try (Connection c = db.open()) {
            c.setAutoCommit(false);
            otherRows = seedOtherUsers(c, otherUsers, otherEventsPerUser);
            c.commit();
            insertCalendars(c, userId, email, cals);
            StringBuilder events = new StringBuilder(eventRows.size() * 400);
            eventRows.forEach(events::append);
            copy(c, "calendar_events (" + EVENT_COLUMNS + ")", events);
            copy(
                    c,
                    "event_attendees (event_id, email, display_name, response_status, optional, organizer)",
                    attendeeRows);
            copy(c, "event_reminders (event_id, method, minutes_before)", reminderRows);
            try (Statement s = c.createStatement()) {
                // What the sync engine should keep: each calendar's longest single event (at least a day).
                s.execute("UPDATE calendar_connections c SET max_event_duration_secs = GREATEST(86400, m.secs),"
                        + " event_count = m.n FROM (SELECT connection_id,"
                        + " max(extract(epoch FROM end_time - start_time))::bigint AS secs, count(*) AS n"
                        + " FROM calendar_events WHERE recurrence_rule IS NULL GROUP BY connection_id) m"
                        + " WHERE c.id = m.connection_id");
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM (ANALYZE) calendar_events, event_attendees, event_reminders,"
                        + " calendar_connections, calendar_users");
            }
            Map<UUID, Long> longest = new HashMap<>();
            long userRows = 0;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id, max_event_duration_secs, event_count FROM calendar_connections WHERE user_id = ?")) {
                p.setObject(1, userId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        longest.put((UUID) rs.getObject(1), rs.getLong(2));
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM calendar_events e"
                    + " JOIN calendar_connections c ON c.id = e.connection_id WHERE c.user_id = ?")) {
                p.setObject(1, userId);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    userRows = rs.getLong(1);
                }
            }
            long tableRows;
            long attendeeTable;
            long reminderTable;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM calendar_events),"
                            + " (SELECT count(*) FROM event_attendees), (SELECT count(*) FROM event_reminders)")) {
                rs.next();
                tableRows = rs.getLong(1);
                attendeeTable = rs.getLong(2);
                reminderTable = rs.getLong(3);
            }
            return new Result(
                    cals,
                    singles,
                    series,
                    overrides,
                    cancelled,
                    exdates,
                    attendeeCount,
                    reminderCount,
                    longest,
                    userRows,
                    tableRows,
                    otherUsers,
                    attendeeTable,
                    reminderTable,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    // ------------------------------------------------------------------------------------------------- series

    private Series series(Cal cal, int index) {
        Kind kind = kindFor(cal);
        UUID id = UUID.randomUUID();
        String peid = providerId();
        LocalDate day = SPAN_FIRST_DAY.plusDays(rnd.nextInt(SPAN_DAYS - 45));
        if (kind == Kind.YEARLY_ALL_DAY) {
            EventRow m = new EventRow(id, cal, peid, pick(BIRTHDAYS) + " " + (index + 1));
            m.allDay(day, day.plusDays(1));
            m.rule("FREQ=YEARLY", List.of("RRULE:FREQ=YEARLY"), "YEARLY");
            add(m);
            return new Series(id, cal.id(), m.start, null);
        }
        if (kind == Kind.MONTHLY && day.getDayOfMonth() > 28) {
            day = day.withDayOfMonth(28);
        }
        if (kind == Kind.WEEKDAYS) {
            while (day.getDayOfWeek().getValue() > 5) {
                day = day.plusDays(1);
            }
        }
        ZonedDateTime start = ZonedDateTime.of(day, LocalTime.of(8, 0).plusMinutes(30L * rnd.nextInt(19)), cal.zone());
        Duration length = Duration.ofMinutes(
                switch (kind) {
                    case WEEKLY -> pick(new int[] {30, 45, 60, 60});
                    case WEEKDAYS -> 15;
                    case DAILY -> pick(new int[] {30, 60});
                    default -> pick(new int[] {60, 90, 120});
                });
        int interval = kind == Kind.WEEKLY && chance(0.2) ? 2 : 1;
        String rule = switch (kind) {
            case WEEKLY -> "FREQ=WEEKLY" + (interval > 1 ? ";INTERVAL=" + interval : "") + ";BYDAY=" + dayCode(day);
            case WEEKDAYS -> "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
            case DAILY -> "FREQ=DAILY";
            default -> "FREQ=MONTHLY;BYMONTHDAY=" + day.getDayOfMonth();
        };
        int count = 0;
        Instant until = null;
        double end = kind == Kind.DAILY ? 0 : rnd.nextDouble();
        if (end < 0.40) {
            count = switch (kind) {
                case WEEKLY -> between(5, 60);
                case WEEKDAYS -> between(10, 120);
                case DAILY -> between(3, 20);
                default -> between(3, 24);
            };
            rule += ";COUNT=" + count;
        } else if (end < 0.75) {
            until = day.plusDays(between(30, 365))
                    .atTime(23, 59, 59)
                    .atZone(cal.zone())
                    .toInstant();
            rule += ";UNTIL=" + BASIC_UTC.format(until);
        }
        boolean open = count == 0 && until == null;
        List<ZonedDateTime> all = occurrences(kind, start, interval, count, until, open ? SPAN_END : null);
        // Exceptions: distinct occurrences (not the first) inside the span become EXDATEs, overrides, cancellations.
        List<ZonedDateTime> candidates = new ArrayList<>(all.subList(1, all.size()).stream()
                .filter(z -> z.toInstant().isBefore(SPAN_END))
                .toList());
        Collections.shuffle(candidates, rnd);
        int next = 0;
        List<String> lines = new ArrayList<>();
        lines.add("RRULE:" + rule);
        if (chance(0.3) && candidates.size() > next) {
            int k = Math.min(between(1, 3), candidates.size() - next);
            TreeSet<String> values = new TreeSet<>();
            for (int i = 0; i < k; i++) {
                values.add(BASIC_LOCAL.format(candidates.get(next++).toLocalDateTime()));
            }
            lines.add("EXDATE;TZID=" + cal.zone().getId() + ":" + String.join(",", values));
            exdates += k;
        }
        EventRow master = new EventRow(id, cal, peid, pick(MEETINGS) + " (series " + (index + 1) + ")");
        master.timed(start.toInstant(), start.toInstant().plus(length));
        master.rule(rule, lines, kind == Kind.MONTHLY ? "MONTHLY" : kind == Kind.DAILY ? "DAILY" : "WEEKLY");
        boolean withPeople = !cal.name().equals("Personal") && chance(0.6);
        add(master);
        if (withPeople) {
            attendees(id, between(3, 10));
        }
        reminders(id);
        if (chance(0.4) && candidates.size() > next) {
            int k = Math.min(between(1, 3), candidates.size() - next);
            for (int i = 0; i < k; i++) {
                Instant original = candidates.get(next++).toInstant();
                Instant moved = original.plus(Duration.ofMinutes(chance(0.5) ? 60 : 24 * 60));
                EventRow o = new EventRow(
                        UUID.randomUUID(), cal, peid + "_" + BASIC_UTC.format(original), master.title + " (moved)");
                o.timed(moved, moved.plus(length));
                o.recurringEventId = id;
                o.originalStart = original;
                add(o);
                if (withPeople) {
                    attendees(o.id, between(3, 10));
                }
                overrides++;
            }
        }
        if (chance(0.3) && candidates.size() > next) {
            int k = Math.min(between(1, 3), candidates.size() - next);
            for (int i = 0; i < k; i++) {
                Instant original = candidates.get(next++).toInstant();
                EventRow x =
                        new EventRow(UUID.randomUUID(), cal, peid + "_" + BASIC_UTC.format(original), master.title);
                x.timed(original, original.plus(length));
                x.status = "CANCELLED";
                x.recurringEventId = id;
                x.originalStart = original;
                add(x);
                cancelled++;
            }
        }
        Instant lastEnd = open ? null : all.getLast().toInstant().plus(length);
        return new Series(id, cal.id(), start.toInstant(), lastEnd);
    }

    private Kind kindFor(Cal cal) {
        double r = rnd.nextDouble();
        return switch (cal.name()) {
            case "Holidays" -> Kind.YEARLY_ALL_DAY;
            case "Personal" -> r < 0.5 ? Kind.WEEKLY : r < 0.8 ? Kind.YEARLY_ALL_DAY : Kind.MONTHLY;
            default -> r < 0.55 ? Kind.WEEKLY : r < 0.80 ? Kind.WEEKDAYS : r < 0.90 ? Kind.DAILY : Kind.MONTHLY;
        };
    }

    /**
     * The occurrences the rule produces (as RFC 5545 and ical4j do for these simple forms, in the series' zone):
     * up to COUNT, UNTIL, or {@code limit} for an open-ended series.
     */
    private static List<ZonedDateTime> occurrences(
            Kind kind, ZonedDateTime start, int interval, int count, Instant until, Instant limit) {
        List<ZonedDateTime> out = new ArrayList<>();
        ZonedDateTime z = start;
        for (int i = 1; ; i++) {
            if (count > 0 && out.size() >= count
                    || until != null && z.toInstant().isAfter(until)
                    || limit != null && !z.toInstant().isBefore(limit)) {
                return out;
            }
            out.add(z);
            z = switch (kind) {
                case WEEKLY -> start.plusWeeks((long) i * interval);
                case DAILY -> start.plusDays(i);
                case WEEKDAYS -> {
                    ZonedDateTime n = z.plusDays(1);
                    while (n.getDayOfWeek().getValue() > 5) {
                        n = n.plusDays(1);
                    }
                    yield n;
                }
                default -> start.plusMonths(i);
            };
        }
    }

    // ------------------------------------------------------------------------------------------------- singles

    private void single(Cal cal, int index) {
        LocalDate day = SPAN_FIRST_DAY.plusDays(rnd.nextInt(SPAN_DAYS));
        EventRow e = new EventRow(UUID.randomUUID(), cal, providerId(), pick(MEETINGS) + " #" + index);
        double r = rnd.nextDouble();
        boolean work = cal.name().equals("Work") || cal.name().equals("Team");
        switch (cal.name()) {
            case "Holidays" -> {
                if (r < 0.12) {
                    e.title = "Vacation #" + index;
                    e.allDay(day, day.plusDays(between(3, 14)));
                } else {
                    e.title = pick(BIRTHDAYS) + " day #" + index;
                    e.allDay(day, day.plusDays(1));
                }
            }
            case "Personal" -> {
                if (r < 0.01) {
                    e.title = "Trip #" + index;
                    e.allDay(day, day.plusDays(between(2, 10)));
                } else if (r < 0.11) {
                    e.allDay(day, day.plusDays(1));
                } else {
                    ZonedDateTime s =
                            ZonedDateTime.of(day, LocalTime.of(7, 0).plusMinutes(30L * rnd.nextInt(29)), cal.zone());
                    e.timed(s.toInstant(), s.toInstant().plus(Duration.ofMinutes(pick(new int[] {30, 60, 90, 120, 180
                    }))));
                }
            }
            default -> {
                if (work && day.getDayOfWeek().getValue() > 5 && chance(0.85)) {
                    day = day.minusDays(day.getDayOfWeek().getValue() - 5L); // most meetings on weekdays
                }
                if (cal.name().equals("Team") && r < 0.003) {
                    LocalDate monday = day.with(DayOfWeek.MONDAY);
                    ZonedDateTime s = ZonedDateTime.of(monday, LocalTime.of(9, 0), cal.zone());
                    e.title = "On call #" + index;
                    e.timed(s.toInstant(), s.plusDays(7).toInstant());
                } else if (cal.name().equals("Work") && r < 0.004) {
                    e.title = "Offsite #" + index;
                    e.allDay(day, day.plusDays(between(2, 3)));
                } else if (r < 0.02) {
                    e.allDay(day, day.plusDays(1));
                } else {
                    ZonedDateTime s =
                            ZonedDateTime.of(day, LocalTime.of(8, 0).plusMinutes(15L * rnd.nextInt(40)), cal.zone());
                    e.timed(s.toInstant(), s.toInstant().plus(Duration.ofMinutes(pick(new int[] {
                        15, 30, 30, 45, 60, 60, 90, 120
                    }))));
                }
            }
        }
        double s = rnd.nextDouble();
        if (s < 0.01) {
            e.status = "CANCELLED";
        } else if (s < 0.03) {
            e.status = "TENTATIVE";
        }
        double sync = rnd.nextDouble();
        if (sync < 0.010) {
            e.syncStatus = "PENDING";
            e.pendingOperation = "UPDATE";
        } else if (sync < 0.013) {
            e.syncStatus = "PENDING";
            e.pendingOperation = "DELETE";
        } else if (sync < 0.016) {
            e.syncStatus = "FAILED";
            e.syncError = "provider answered 412 Precondition Failed";
            e.pendingOperation = "UPDATE";
        }
        add(e);
        if (work && !e.allDay && chance(0.35)) {
            attendees(e.id, between(2, 8));
        }
        reminders(e.id);
    }

    // ------------------------------------------------------------------------------------------------- children

    private void attendees(UUID eventId, int n) {
        for (int i = 0; i < n; i++) {
            int p = rnd.nextInt(300);
            row(
                    attendeeRows,
                    eventId,
                    "person" + p + "@example.com",
                    "Person " + p,
                    pick(new String[] {"ACCEPTED", "ACCEPTED", "NEEDS_ACTION", "DECLINED", "TENTATIVE"}),
                    i > 0 && chance(0.1),
                    i == 0);
            attendeeCount++;
        }
    }

    private void reminders(UUID eventId) {
        if (chance(0.6)) {
            row(reminderRows, eventId, "POPUP", 10);
            reminderCount++;
            if (chance(0.15)) {
                row(reminderRows, eventId, "EMAIL", pick(new int[] {30, 60, 1440}));
                reminderCount++;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- rows

    /** One row of calendar_events, with the columns a synced event has. */
    private final class EventRow {
        final UUID id;
        final Cal cal;
        final String providerEventId;
        String title;
        String description;
        String location;
        Instant start;
        Instant end;
        boolean allDay;
        LocalDate startDate;
        LocalDate endDate;
        String status = "CONFIRMED";
        String rule;
        List<String> recurrence;
        String frequency;
        UUID recurringEventId;
        Instant originalStart;
        String syncStatus = "SYNCED";
        String syncError;
        String pendingOperation;

        EventRow(UUID id, Cal cal, String providerEventId, String title) {
            this.id = id;
            this.cal = cal;
            this.providerEventId = providerEventId;
            this.title = title;
            if (chance(0.4)) {
                description = DESCRIPTION.substring(0, between(80, DESCRIPTION.length()));
            }
            if (chance(0.3)) {
                location = chance(0.5)
                        ? "Room " + between(1, 9) + "." + between(10, 40)
                        : "https://meet.google.com/" + randomLetters(3) + "-" + randomLetters(4) + "-"
                                + randomLetters(3);
            }
        }

        void timed(Instant s, Instant e) {
            start = s;
            end = e;
        }

        void allDay(LocalDate from, LocalDate to) {
            allDay = true;
            startDate = from;
            endDate = to;
            start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
            end = to.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        void rule(String value, List<String> lines, String freq) {
            rule = value;
            recurrence = lines;
            frequency = freq;
        }

        String line() {
            StringBuilder sb = new StringBuilder(400);
            boolean google = cal.provider().equals("GOOGLE");
            Instant created = (originalStart != null ? originalStart : start).minus(Duration.ofDays(between(1, 60)));
            row(
                    sb,
                    id,
                    cal.id(),
                    providerEventId,
                    providerEventId + (google ? "@google.com" : "@bench.calsync.test"),
                    title,
                    description,
                    location,
                    start,
                    end,
                    allDay,
                    startDate,
                    endDate,
                    cal.zone().getId(),
                    status,
                    rule,
                    recurrence == null ? null : arrayLiteral(recurrence),
                    frequency,
                    recurringEventId,
                    originalStart,
                    cal.name().equals("Personal") || cal.name().equals("Holidays")
                            ? "me@bench.calsync.test"
                            : "person" + rnd.nextInt(300) + "@example.com",
                    google ? "https://www.google.com/calendar/event?eid=" + randomLetters(24) : null,
                    "\"" + (3_400_000_000_000_000L + rnd.nextInt(1_000_000_000)) + "\"",
                    syncStatus,
                    syncError,
                    pendingOperation,
                    rnd.nextInt(4),
                    created,
                    created,
                    created);
            return sb.toString();
        }
    }

    private void add(EventRow e) {
        eventRows.add(e.line());
    }

    private static String arrayLiteral(List<String> values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(values.get(i).replace("\"", "\\\""))
                    .append('"');
        }
        return sb.append('}').toString();
    }

    /** One line of COPY text format: tab-separated, \N for null. */
    private static void row(StringBuilder sb, Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            Object f = fields[i];
            if (f == null) {
                sb.append("\\N");
            } else if (f instanceof Boolean b) {
                sb.append(b ? 't' : 'f');
            } else {
                String s = f.toString();
                for (int k = 0; k < s.length(); k++) {
                    char ch = s.charAt(k);
                    switch (ch) {
                        case '\\' -> sb.append("\\\\");
                        case '\t' -> sb.append("\\t");
                        case '\n' -> sb.append("\\n");
                        case '\r' -> sb.append("\\r");
                        default -> sb.append(ch);
                    }
                }
            }
        }
        sb.append('\n');
    }

    private static void copy(Connection c, String table, CharSequence rows) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN");
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        for (int off = 0; off < bytes.length; off += 1 << 20) {
            in.writeToCopy(bytes, off, Math.min(1 << 20, bytes.length - off));
        }
        in.endCopy();
    }

    private static void insertCalendars(Connection c, UUID userId, String email, List<Cal> cals) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO calendar_connections (id, user_id, provider,"
                + " provider_calendar_id, calendar_name, account_email, is_primary, sync_status, last_synced_at,"
                + " ics_url, created_at, updated_at) VALUES (?, ?, ?::calendar_provider, ?, ?, ?, ?, 'SYNCED', now(),"
                + " ?, now() - make_interval(secs => ?), now())")) {
            for (int i = 0; i < cals.size(); i++) {
                Cal cal = cals.get(i);
                boolean ics = cal.provider().equals("ICS");
                p.setObject(1, cal.id());
                p.setObject(2, userId);
                p.setString(3, cal.provider());
                p.setString(
                        4, ics ? "https://example.com/holidays.ics" : cal.name().toLowerCase() + "-" + email);
                p.setString(5, cal.name());
                p.setString(6, ics ? null : email);
                p.setBoolean(7, i == 0);
                p.setString(8, ics ? "https://example.com/holidays.ics" : null);
                p.setInt(9, 100 - i);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Other users' events, generated by PostgreSQL itself (fast): only there so that the table is realistic. */
    private static long seedOtherUsers(Connection c, int users, int eventsPerUser) throws SQLException {
        if (users <= 0 || eventsPerUser <= 0) {
            return 0;
        }
        int perCalendar = Math.max(1, eventsPerUser / 2);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO calendar_users (email) SELECT 'other-' || g || '@bench.calsync.test'"
                    + " FROM generate_series(1, " + users + ") g");
            s.execute("INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name,"
                    + " account_email, is_primary, sync_status) SELECT u.id, 'GOOGLE', 'cal-' || k, 'Calendar ' || k,"
                    + " u.email, k = 1, 'SYNCED' FROM calendar_users u CROSS JOIN generate_series(1, 2) k"
                    + " WHERE u.email LIKE 'other-%@bench.calsync.test'");
            long rows =
                    s.executeUpdate("INSERT INTO calendar_events (connection_id, provider_event_id, ical_uid, title,"
                            + " description, location, start_time, end_time, timezone, organizer_email, html_link, etag)"
                            + " SELECT x.cid, 'o' || x.g, 'o' || x.g || '@google.com', 'Other event ' || x.g,"
                            + " CASE WHEN x.g % 3 = 0 THEN repeat('Agenda: review the numbers. ', 1 + x.g % 6) END,"
                            + " CASE WHEN x.g % 4 = 0 THEN 'Room ' || (x.g % 50) END,"
                            + " x.s, x.s + (15 * (1 + x.g % 8)) * interval '1 minute', 'Europe/Berlin',"
                            + " 'someone@example.com', 'https://www.google.com/calendar/event?eid=' || md5(x.g::text),"
                            + " '\"' || x.g || '\"'"
                            + " FROM (SELECT c.id AS cid, g, date_trunc('minute', timestamptz '" + SPAN_START + "'"
                            + " + random() * interval '" + SPAN_DAYS + " days') AS s"
                            + " FROM calendar_connections c CROSS JOIN generate_series(1, " + perCalendar + ") g"
                            + " WHERE c.provider_calendar_id LIKE 'cal-%' AND c.account_email LIKE 'other-%') x");
            // Their attendees (3 on every third event) and reminders (every other one), so that those tables have
            // the size, and PostgreSQL the plans, of a shared database rather than of one user's.
            s.execute("INSERT INTO event_attendees (event_id, email, display_name, response_status, organizer)"
                    + " SELECT e.id, 'colleague' || k || '@example.com', 'Colleague ' || k, 'ACCEPTED', k = 1"
                    + " FROM calendar_events e CROSS JOIN generate_series(1, 3) k"
                    + " WHERE e.provider_event_id LIKE 'o%' AND substr(e.provider_event_id, 2)::int % 3 = 0");
            s.execute("INSERT INTO event_reminders (event_id, method, minutes_before) SELECT e.id, 'POPUP', 10"
                    + " FROM calendar_events e"
                    + " WHERE e.provider_event_id LIKE 'o%' AND substr(e.provider_event_id, 2)::int % 2 = 0");
            return rows;
        }
    }

    // ------------------------------------------------------------------------------------------------- random

    private boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    private int between(int from, int to) {
        return from + rnd.nextInt(to - from + 1);
    }

    private <T> T pick(T[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private int pick(int[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private Cal pick(List<Cal> cals, boolean bySeries) {
        double r = rnd.nextDouble();
        for (Cal c : cals) {
            r -= bySeries ? c.seriesShare() : c.singlesShare();
            if (r < 0) {
                return c;
            }
        }
        return cals.getLast();
    }

    private String providerId() {
        return randomLetters(26);
    }

    private String randomLetters(int n) {
        char[] cs = new char[n];
        for (int i = 0; i < n; i++) {
            cs[i] = (char) ('a' + rnd.nextInt(26));
        }
        return new String(cs);
    }

    private static String dayCode(LocalDate day) {
        return day.getDayOfWeek().name().substring(0, 2);
    }

    private static final String[] MEETINGS = {
        "Sprint planning", "1:1 with Alex", "Design review", "Standup", "Customer call", "Lunch", "Gym",
        "Architecture sync", "Hiring panel", "Demo", "Retro", "Budget review", "Dentist", "Coffee chat",
        "Incident review", "Roadmap", "Board prep", "Yoga", "Parent-teacher meeting", "Release train"
    };
    private static final String[] BIRTHDAYS = {
        "Birthday of Sam", "Anniversary", "Public holiday", "Birthday of Kim", "School holiday", "Bank holiday"
    };
    private static final String DESCRIPTION = "Agenda: 1) status of the open items 2) decisions needed this week"
            + " 3) risks and owners. Notes from last time are in the shared folder; please add your updates"
            + " before the meeting. Dial-in details are in the invitation. Join with video if you can.";
}
