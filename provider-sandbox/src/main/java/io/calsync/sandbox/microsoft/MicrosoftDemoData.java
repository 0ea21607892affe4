package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.control.DemoSeeder;
import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import org.springframework.stereotype.Component;

/**
 * The Outlook demo account's data for {@code ./run --sandbox}: in its default calendar a weekly 1:1 in a Windows zone
 * ("Pacific Standard Time") with one moved and one cancelled occurrence, a single meeting with an attendee and a
 * reminder, and an all-day event; plus a second calendar. Times are relative to today.
 */
@Component
public class MicrosoftDemoData implements DemoSeeder.DemoData {

    private static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.0000000");

    private final MicrosoftStore store;

    public MicrosoftDemoData(MicrosoftStore store) {
        this.store = store;
    }

    @Override
    public Provider provider() {
        return Provider.MICROSOFT;
    }

    @Override
    public void seed(Account account) {
        LocalDate today = LocalDate.now(PACIFIC);
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        String series = store.createEvent(account, null, GraphJson.parseObject("""
                        {"subject":"1:1 with Morgan","isReminderOn":true,"reminderMinutesBeforeStart":15,
                         "start":{"dateTime":"%s","timeZone":"Pacific Standard Time"},
                         "end":{"dateTime":"%s","timeZone":"Pacific Standard Time"},
                         "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["tuesday"],"firstDayOfWeek":"sunday"},
                                       "range":{"type":"noEnd","startDate":"%s","recurrenceTimeZone":"Pacific Standard Time"}}}
                        """.formatted(
                        local(monday.plusDays(1), 10, 0), local(monday.plusDays(1), 10, 30), monday.plusDays(1))))
                .id();
        LocalDateTime second = monday.plusDays(8).atTime(10, 0);
        store.updateOccurrence(account, series, second.atZone(PACIFIC).toInstant(), GraphJson.parseObject("""
                {"start":{"dateTime":"%s","timeZone":"Pacific Standard Time"},
                 "end":{"dateTime":"%s","timeZone":"Pacific Standard Time"}}
                """.formatted(
                        local(monday.plusDays(9), 11, 0), local(monday.plusDays(9), 11, 30))));
        store.cancelOccurrence(
                account,
                series,
                monday.plusDays(15).atTime(10, 0).atZone(PACIFIC).toInstant());
        store.createEvent(account, null, GraphJson.parseObject("""
                {"subject":"Quarterly planning","body":{"contentType":"text","content":"Agenda in the shared doc."},
                 "location":{"displayName":"Room 4"},
                 "start":{"dateTime":"%s","timeZone":"Pacific Standard Time"},
                 "end":{"dateTime":"%s","timeZone":"Pacific Standard Time"},
                 "attendees":[{"type":"required","emailAddress":{"address":"morgan@outlook.sandbox.test","name":"Morgan"}}]}
                """.formatted(
                        local(today.plusDays(2), 14, 0), local(today.plusDays(2), 15, 30))));
        store.createEvent(account, null, GraphJson.parseObject("""
                {"subject":"Team offsite","isAllDay":true,"showAs":"oof",
                 "start":{"dateTime":"%sT00:00:00.0000000","timeZone":"UTC"},
                 "end":{"dateTime":"%sT00:00:00.0000000","timeZone":"UTC"}}
                """.formatted(today.plusDays(5), today.plusDays(6))));
        store.createCalendar(account, "Side project", "lightGreen");
    }

    private static String local(LocalDate date, int hour, int minute) {
        return LOCAL.format(date.atTime(LocalTime.of(hour, minute)));
    }
}
