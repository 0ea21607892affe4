package io.calsync.sandbox.google;

import io.calsync.sandbox.control.DemoSeeder;
import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Google demo account's data for {@code ./run --sandbox}: a primary calendar in Europe/Berlin with a single
 * meeting, a weekday stand-up series (one instance moved, one cancelled) and an all-day offsite, plus a team calendar
 * and a read-only holiday calendar. Times are relative to today so the demo always has something upcoming.
 */
@Component
public class GoogleDemoData implements DemoSeeder.DemoData {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final String TZ = BERLIN.getId();

    private final GoogleCalendarStore store;

    public GoogleDemoData(GoogleCalendarStore store) {
        this.store = store;
    }

    @Override
    public Provider provider() {
        return Provider.GOOGLE;
    }

    @Override
    public void seed(Account account) {
        String primary = store.createCalendar(
                        account.id(), new GoogleCalendarStore.CalendarSpec(null, null, null, TZ, true, null, null))
                .get("id")
                .stringValue();
        String team = store.createCalendar(
                        account.id(),
                        new GoogleCalendarStore.CalendarSpec(
                                null, "Team", "Shared team calendar", TZ, null, "writer", "7"))
                .get("id")
                .stringValue();
        String holidays = store.createCalendar(
                        account.id(),
                        new GoogleCalendarStore.CalendarSpec(
                                null, "Holidays in Germany", null, TZ, null, "reader", "8"))
                .get("id")
                .stringValue();

        LocalDate today = LocalDate.now(BERLIN);
        store.insert(
                primary,
                timed("1:1 with Alex", today.plusDays(1), LocalTime.of(10, 0), 30)
                        .put("location", "Room Kepler"));
        ObjectNode withAttendees = timed("Quarterly planning", today.plusDays(3), LocalTime.of(14, 0), 90);
        ArrayNode attendees = withAttendees.putArray("attendees");
        attendees.addObject().put("email", account.email()).put("responseStatus", "accepted");
        attendees
                .addObject()
                .put("email", "alex@example.test")
                .put("displayName", "Alex")
                .put("responseStatus", "tentative");
        store.insert(primary, withAttendees);

        LocalDate monday = today.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        ObjectNode standup = timed("Stand-up", monday, LocalTime.of(9, 30), 15);
        standup.putArray("recurrence").add("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
        String standupId = store.insert(primary, standup).get("id").stringValue();
        ObjectNode moved = timed("Stand-up (moved)", monday.plusDays(2), LocalTime.of(11, 0), 15);
        moved.put("recurringEventId", standupId);
        moved.set("originalStartTime", dateTime(monday.plusDays(2), LocalTime.of(9, 30)));
        store.insert(primary, moved);
        ObjectNode cancelled =
                EventMapper.JSON.objectNode().put("recurringEventId", standupId).put("status", "cancelled");
        cancelled.set("originalStartTime", dateTime(monday.plusDays(4), LocalTime.of(9, 30)));
        store.insert(primary, cancelled);

        store.insert(primary, allDay("Team offsite", today.plusWeeks(2), 2));
        store.insert(team, timed("Release review", today.plusDays(2), LocalTime.of(16, 0), 60));
        ObjectNode newYear = allDay("New Year's Day", LocalDate.of(today.getYear() + 1, 1, 1), 1);
        newYear.putArray("recurrence").add("RRULE:FREQ=YEARLY");
        newYear.put("transparency", "transparent");
        store.insert(holidays, newYear);
    }

    private static ObjectNode timed(String summary, LocalDate day, LocalTime start, int minutes) {
        ObjectNode e = EventMapper.JSON.objectNode().put("summary", summary);
        e.set("start", dateTime(day, start));
        e.set("end", dateTime(day, start.plusMinutes(minutes)));
        return e;
    }

    private static ObjectNode dateTime(LocalDate day, LocalTime time) {
        ZonedDateTime t = LocalDateTime.of(day, time).atZone(BERLIN);
        return EventMapper.JSON
                .objectNode()
                .put("dateTime", t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("timeZone", TZ);
    }

    private static ObjectNode allDay(String summary, LocalDate first, int days) {
        ObjectNode e = EventMapper.JSON.objectNode().put("summary", summary);
        e.putObject("start").put("date", first.toString());
        e.putObject("end").put("date", first.plusDays(days).toString());
        return e;
    }
}
