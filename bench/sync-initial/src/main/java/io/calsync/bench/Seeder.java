package io.calsync.bench;

import static io.calsync.bench.support.SampleWords.FIRST;
import static io.calsync.bench.support.SampleWords.LAST;
import static io.calsync.bench.support.SampleWords.RESPONSES;
import static io.calsync.bench.support.SampleWords.ROOMS;
import static io.calsync.bench.support.SampleWords.TEAMS;
import static io.calsync.bench.support.SampleWords.TOPICS;
import static io.calsync.bench.support.SampleWords.WEEKDAYS;
import static io.calsync.bench.support.SampleWords.ZONES;

import io.calsync.sandbox.google.GoogleCalendarStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The calendar the initial sync reads: N events on the account's primary calendar "at Google", written straight into
 * the sandbox's store ({@link GoogleCalendarStore#insert}, what its control API calls for each POST), which takes a
 * fraction of a second where 10,000 HTTP calls would take a minute. The store still validates and normalises every
 * event as Google would, and the sync reads them only through Calendar v3.
 *
 * <p>The mix of a busy work calendar: ~90% single meetings (15 min to 3 h, in one of five zones, 1-3 attendees, a
 * reminder override or the calendar's default, some with a description and a location, 3% tentative), ~8% all-day
 * events of 1-3 days, and 2% recurring masters (weekly with COUNT, UNTIL or open-ended, daily with COUNT, monthly).
 * Their starts are spread evenly over the sync window (now - 1 year .. now + 2 years), 5 days inside each edge so
 * that a window that moves on during the run still holds every one of them. Deterministic for a seed.
 */
final class Seeder {

    /** What was written; {@code attendees} and {@code overrides} as given (the store keeps them all). */
    record Seeded(int singles, int allDay, int masters, int attendees, int overrides, int useDefault, double seconds) {
        int total() {
            return singles + allDay + masters;
        }
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final Random random;
    private final int events;

    Seeder(long seed, int events) {
        this.random = new Random(seed);
        this.events = events;
    }

    Seeded seed(GoogleCalendarStore store, String calendarId, Instant now) {
        long t0 = System.nanoTime();
        int masters = Math.round(events * 0.02f);
        int allDay = Math.round(events * 0.08f);
        int singles = events - masters - allDay;
        List<Character> kinds = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            kinds.add(i < masters ? 'M' : i < masters + allDay ? 'A' : 'S');
        }
        // Created in no particular order, as a calendar grows; the listing's order is the sandbox's business.
        Collections.shuffle(kinds, random);
        Instant from = now.minus(Duration.ofDays(360));
        Instant to = now.plus(Duration.ofDays(720));
        int[] counts = new int[3]; // attendees, overrides, useDefault
        for (char kind : kinds) {
            ObjectNode e = switch (kind) {
                case 'M' -> master(from, now.plus(Duration.ofDays(600)), counts);
                case 'A' -> allDay(from, to, counts);
                default -> single(from, to, counts);
            };
            store.insert(calendarId, e);
        }
        return new Seeded(singles, allDay, masters, counts[0], counts[1], counts[2], (System.nanoTime() - t0) / 1e9);
    }

    private ObjectNode single(Instant from, Instant to, int[] counts) {
        ZoneId zone = ZoneId.of(ZONES.get(random.nextInt(ZONES.size())));
        ZonedDateTime start = workSlot(from, to, zone);
        int[] lengths = {15, 30, 30, 30, 45, 60, 60, 60, 90, 120, 180};
        ZonedDateTime end = start.plusMinutes(lengths[random.nextInt(lengths.length)]);
        ObjectNode e = base(title());
        times(e, start, end, zone);
        if (random.nextInt(100) < 3) {
            e.put("status", "tentative");
        }
        attendees(e, 1 + random.nextInt(3), counts);
        reminders(e, counts);
        return e;
    }

    private ObjectNode allDay(Instant from, Instant to, int[] counts) {
        LocalDate start = LocalDate.ofInstant(between(from, to), ZoneOffset.UTC);
        ObjectNode e = base(random.nextBoolean() ? "Offsite " + pick(TEAMS) : "Out of office");
        e.putObject("start").put("date", start.toString());
        e.putObject("end").put("date", start.plusDays(1 + random.nextInt(3)).toString());
        e.put("transparency", "transparent");
        if (random.nextInt(4) == 0) {
            attendees(e, 1 + random.nextInt(3), counts);
        }
        ObjectNode r = e.putObject("reminders").put("useDefault", false);
        if (random.nextBoolean()) {
            r.putArray("overrides").addObject().put("method", "popup").put("minutes", 1440);
            counts[1]++;
        }
        return e;
    }

    private ObjectNode master(Instant from, Instant to, int[] counts) {
        ZoneId zone = ZoneId.of(ZONES.get(random.nextInt(2))); // series live in the offices' zones
        ZonedDateTime start = workSlot(from, to, zone);
        ZonedDateTime end = start.plusMinutes(random.nextBoolean() ? 30 : 60);
        ObjectNode e = base((random.nextBoolean() ? "Weekly " : "") + title());
        times(e, start, end, zone);
        String rule = switch (random.nextInt(6)) {
            case 0, 1 -> "RRULE:FREQ=WEEKLY;BYDAY=" + pick(WEEKDAYS) + ";COUNT=" + (10 + random.nextInt(43));
            case 2 ->
                "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=" + pick(WEEKDAYS) + ";UNTIL="
                        + start.plusDays(120 + random.nextInt(240))
                                .withZoneSameInstant(ZoneOffset.UTC)
                                .format(UNTIL);
            case 3 -> "RRULE:FREQ=WEEKLY;BYDAY=" + pick(WEEKDAYS);
            case 4 -> "RRULE:FREQ=DAILY;COUNT=" + (5 + random.nextInt(16));
            default -> "RRULE:FREQ=MONTHLY;COUNT=" + (6 + random.nextInt(19));
        };
        e.putArray("recurrence").add(rule);
        attendees(e, 2 + random.nextInt(2), counts);
        reminders(e, counts);
        return e;
    }

    private ObjectNode base(String title) {
        ObjectNode e = JSON.objectNode().put("summary", title);
        if (random.nextInt(10) < 4) {
            e.put(
                    "description",
                    "Agenda: " + pick(TOPICS).toLowerCase(java.util.Locale.ROOT) + " for " + pick(TEAMS)
                            + ". Notes from last time are in the shared folder; please read them before we meet."
                            + " Bring questions about the open items and the numbers for next quarter.");
        }
        if (random.nextInt(10) < 3) {
            e.put("location", pick(ROOMS));
        }
        return e;
    }

    private void times(ObjectNode e, ZonedDateTime start, ZonedDateTime end, ZoneId zone) {
        e.putObject("start")
                .put("dateTime", start.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("timeZone", zone.getId());
        e.putObject("end")
                .put("dateTime", end.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("timeZone", zone.getId());
    }

    private void attendees(ObjectNode e, int count, int[] counts) {
        ArrayNode list = e.putArray("attendees");
        List<String> taken = new ArrayList<>();
        while (taken.size() < count) {
            String first = pick(FIRST);
            String last = pick(LAST);
            String email = first + "." + last + "@example.com";
            if (taken.contains(email)) {
                continue;
            }
            taken.add(email);
            ObjectNode a = list.addObject().put("email", email).put("responseStatus", pick(RESPONSES));
            if (random.nextInt(3) > 0) {
                a.put("displayName", capital(first) + " " + capital(last));
            }
            if (random.nextInt(10) == 0) {
                a.put("optional", true);
            }
        }
        counts[0] += count;
    }

    /** Four in five events override the reminder (popup 10 min or email 1 h); the rest use the calendar's default. */
    private void reminders(ObjectNode e, int[] counts) {
        ObjectNode r = e.putObject("reminders");
        if (random.nextInt(5) == 0) {
            r.put("useDefault", true);
            counts[2]++;
            return;
        }
        r.put("useDefault", false);
        boolean popup = random.nextInt(3) > 0;
        r.putArray("overrides")
                .addObject()
                .put("method", popup ? "popup" : "email")
                .put("minutes", popup ? 10 : 60);
        counts[1]++;
    }

    /** A start on a quarter hour between 08:00 and 18:45 local time, on a day inside [from, to). */
    private ZonedDateTime workSlot(Instant from, Instant to, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(between(from, to), zone);
        return day.atTime(8 + random.nextInt(11), 15 * random.nextInt(4)).atZone(zone);
    }

    private Instant between(Instant from, Instant to) {
        long span = ChronoUnit.SECONDS.between(from, to);
        return from.plusSeconds((long) (random.nextDouble() * span));
    }

    private String title() {
        String topic = pick(TOPICS);
        return random.nextBoolean() ? topic + " - " + pick(TEAMS) : topic;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
