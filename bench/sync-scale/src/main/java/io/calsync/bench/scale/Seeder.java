package io.calsync.bench.scale;

import static io.calsync.bench.support.SampleWords.FIRST;
import static io.calsync.bench.support.SampleWords.LAST;
import static io.calsync.bench.support.SampleWords.RESPONSES;
import static io.calsync.bench.support.SampleWords.ROOMS;
import static io.calsync.bench.support.SampleWords.TEAMS;
import static io.calsync.bench.support.SampleWords.TOPICS;
import static io.calsync.bench.support.SampleWords.WEEKDAYS;
import static io.calsync.bench.support.SampleWords.ZONES;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The events of one connection's calendar, as Google JSON for {@code events.insert}: the mix of a busy work calendar
 * (as bench/sync-initial seeds it) — ~90% single meetings of 15 min to 3 h in one of five zones with 1-3 attendees
 * and a reminder, ~8% all-day events, 2% weekly/daily/monthly series masters — spread over the sync window (now - 1
 * year .. now + 2 years, 5 days inside each edge). Every title is unique inside its calendar ({@code #n} at its end),
 * so that a stored title counted twice is a duplicated event whatever its provider id. Deterministic for a seed.
 */
final class Seeder {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private Seeder() {}

    /** The {@code count} events of calendar number {@code calendar}, in the order they are created. */
    static List<ObjectNode> calendar(long seed, int calendar, int count, Instant now) {
        Random random = new Random(seed * 1_000_003L + calendar);
        Instant from = now.minus(Duration.ofDays(360));
        Instant to = now.plus(Duration.ofDays(720));
        List<ObjectNode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            ObjectNode e = kind < 2
                    ? master(random, from, now.plus(Duration.ofDays(600)))
                    : kind < 10 ? allDay(random, from, to) : single(random, from, to);
            e.put("summary", e.get("summary").asString() + " #" + (i + 1));
            out.add(e);
        }
        return out;
    }

    private static ObjectNode single(Random random, Instant from, Instant to) {
        ZoneId zone = ZoneId.of(ZONES.get(random.nextInt(ZONES.size())));
        ZonedDateTime start = workSlot(random, from, to, zone);
        int[] lengths = {15, 30, 30, 45, 60, 60, 90, 120, 180};
        ObjectNode e = base(random, title(random));
        times(e, start, start.plusMinutes(lengths[random.nextInt(lengths.length)]), zone);
        if (random.nextInt(100) < 3) {
            e.put("status", "tentative");
        }
        attendees(random, e, 1 + random.nextInt(3));
        reminders(random, e);
        return e;
    }

    private static ObjectNode allDay(Random random, Instant from, Instant to) {
        LocalDate start = LocalDate.ofInstant(between(random, from, to), ZoneOffset.UTC);
        ObjectNode e = base(random, random.nextBoolean() ? "Offsite " + pick(random, TEAMS) : "Out of office");
        e.putObject("start").put("date", start.toString());
        e.putObject("end").put("date", start.plusDays(1 + random.nextInt(3)).toString());
        e.put("transparency", "transparent");
        ObjectNode r = e.putObject("reminders").put("useDefault", false);
        if (random.nextBoolean()) {
            r.putArray("overrides").addObject().put("method", "popup").put("minutes", 1440);
        }
        return e;
    }

    private static ObjectNode master(Random random, Instant from, Instant to) {
        ZoneId zone = ZoneId.of(ZONES.get(random.nextInt(2)));
        ZonedDateTime start = workSlot(random, from, to, zone);
        ObjectNode e = base(random, "Weekly " + title(random));
        times(e, start, start.plusMinutes(random.nextBoolean() ? 30 : 60), zone);
        String rule = switch (random.nextInt(4)) {
            case 0 -> "RRULE:FREQ=WEEKLY;BYDAY=" + pick(random, WEEKDAYS) + ";COUNT=" + (10 + random.nextInt(43));
            case 1 ->
                "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=" + pick(random, WEEKDAYS) + ";UNTIL="
                        + start.plusDays(120 + random.nextInt(240))
                                .withZoneSameInstant(ZoneOffset.UTC)
                                .format(UNTIL);
            case 2 -> "RRULE:FREQ=DAILY;COUNT=" + (5 + random.nextInt(16));
            default -> "RRULE:FREQ=MONTHLY;COUNT=" + (6 + random.nextInt(19));
        };
        e.putArray("recurrence").add(rule);
        attendees(random, e, 2 + random.nextInt(2));
        reminders(random, e);
        return e;
    }

    private static ObjectNode base(Random random, String title) {
        ObjectNode e = JSON.objectNode().put("summary", title);
        if (random.nextInt(10) < 4) {
            e.put(
                    "description",
                    "Agenda: " + pick(random, TOPICS).toLowerCase(Locale.ROOT) + " for " + pick(random, TEAMS)
                            + ". Notes from last time are in the shared folder; please read them before we meet.");
        }
        if (random.nextInt(10) < 3) {
            e.put("location", pick(random, ROOMS));
        }
        return e;
    }

    private static void times(ObjectNode e, ZonedDateTime start, ZonedDateTime end, ZoneId zone) {
        e.putObject("start")
                .put("dateTime", start.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("timeZone", zone.getId());
        e.putObject("end")
                .put("dateTime", end.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("timeZone", zone.getId());
    }

    private static void attendees(Random random, ObjectNode e, int count) {
        ArrayNode list = e.putArray("attendees");
        List<String> taken = new ArrayList<>();
        while (taken.size() < count) {
            String email = pick(random, FIRST) + "." + pick(random, LAST) + "@example.com";
            if (!taken.contains(email)) {
                taken.add(email);
                list.addObject().put("email", email).put("responseStatus", pick(random, RESPONSES));
            }
        }
    }

    /** Four in five events override the reminder; the rest use the calendar's default. */
    private static void reminders(Random random, ObjectNode e) {
        ObjectNode r = e.putObject("reminders");
        if (random.nextInt(5) == 0) {
            r.put("useDefault", true);
            return;
        }
        boolean popup = random.nextInt(3) > 0;
        r.put("useDefault", false)
                .putArray("overrides")
                .addObject()
                .put("method", popup ? "popup" : "email")
                .put("minutes", popup ? 10 : 60);
    }

    /** A start on a quarter hour between 08:00 and 18:45 local time, on a day inside [from, to). */
    private static ZonedDateTime workSlot(Random random, Instant from, Instant to, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(between(random, from, to), zone);
        return day.atTime(8 + random.nextInt(11), 15 * random.nextInt(4)).atZone(zone);
    }

    private static Instant between(Random random, Instant from, Instant to) {
        long span = ChronoUnit.SECONDS.between(from, to);
        return from.plusSeconds((long) (random.nextDouble() * span));
    }

    private static String title(Random random) {
        String topic = pick(random, TOPICS);
        return random.nextBoolean() ? topic + " - " + pick(random, TEAMS) : topic;
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
