package io.calsync.providers.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.calsync.providers.port.ProviderException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Graph's recurrence patterns to RRULEs and back, for every pattern and range kind, with what other calendars
 * write and what Graph cannot hold.
 */
class GraphRecurrenceTest {

    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");

    private static JsonNode json(String text) {
        return GraphClient.JSON.readTree(text);
    }

    private static String rrule(String pattern, String range, LocalDate start) {
        return GraphRecurrence.toRrule(json("{\"pattern\":" + pattern + ",\"range\":" + range + "}"), start, LA, false);
    }

    private static final String NO_END = "{\"type\":\"noEnd\",\"startDate\":\"2026-03-02\"}";

    /** A rule to Graph and back again. */
    private static String roundTrip(String rrule, LocalDate start) {
        ObjectNode graph = GraphRecurrence.toGraph(List.of(rrule), start, LA, "Pacific Standard Time");
        return GraphRecurrence.toRrule(graph, start, LA, false);
    }

    @Test
    void everyPatternKind() {
        LocalDate monday = LocalDate.of(2026, 3, 2);
        assertThat(rrule("{\"type\":\"daily\",\"interval\":3}", NO_END, monday))
                .isEqualTo("RRULE:FREQ=DAILY;INTERVAL=3");
        assertThat(rrule(
                        "{\"type\":\"weekly\",\"interval\":2,\"daysOfWeek\":[\"Monday\",\"Tuesday\"],\"firstDayOfWeek\":\"sunday\"}",
                        NO_END,
                        monday))
                .isEqualTo("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU;WKST=SU");
        assertThat(rrule(
                        "{\"type\":\"weekly\",\"interval\":1,\"daysOfWeek\":[\"friday\"],\"firstDayOfWeek\":\"monday\"}",
                        NO_END,
                        monday))
                .isEqualTo("RRULE:FREQ=WEEKLY;BYDAY=FR");
        assertThat(rrule("{\"type\":\"absoluteMonthly\",\"interval\":1,\"dayOfMonth\":15}", NO_END, monday))
                .isEqualTo("RRULE:FREQ=MONTHLY;BYMONTHDAY=15");
        assertThat(rrule("{\"type\":\"absoluteMonthly\",\"interval\":3,\"dayOfMonth\":30}", NO_END, monday))
                .isEqualTo("RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30;BYSETPOS=-1");
        assertThat(rrule(
                        "{\"type\":\"relativeMonthly\",\"interval\":1,\"daysOfWeek\":[\"wednesday\"],\"index\":\"second\"}",
                        NO_END,
                        monday))
                .isEqualTo("RRULE:FREQ=MONTHLY;BYDAY=2WE");
        assertThat(rrule(
                        "{\"type\":\"relativeMonthly\",\"interval\":1,\"daysOfWeek\":[\"thursday\",\"friday\"],\"index\":\"first\"}",
                        NO_END,
                        monday))
                .isEqualTo("RRULE:FREQ=MONTHLY;BYDAY=TH,FR;BYSETPOS=1");
        assertThat(rrule("{\"type\":\"absoluteYearly\",\"interval\":1,\"dayOfMonth\":15,\"month\":4}", NO_END, monday))
                .isEqualTo("RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15");
        assertThat(rrule("{\"type\":\"absoluteYearly\",\"interval\":1,\"dayOfMonth\":29,\"month\":2}", NO_END, monday))
                .isEqualTo("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1");
        assertThat(rrule(
                        "{\"type\":\"relativeYearly\",\"interval\":1,\"daysOfWeek\":[\"wednesday\"],\"index\":\"last\",\"month\":11}",
                        NO_END,
                        monday))
                .isEqualTo("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=-1WE");
    }

    @Test
    void whatAPatternLeavesOutComesFromTheSeriesStart() {
        LocalDate thursday = LocalDate.of(2026, 3, 19);
        assertThat(rrule("{\"type\":\"weekly\",\"interval\":1}", NO_END, thursday))
                .isEqualTo("RRULE:FREQ=WEEKLY;BYDAY=TH;WKST=SU");
        assertThat(rrule("{\"type\":\"absoluteYearly\",\"interval\":1}", NO_END, thursday))
                .isEqualTo("RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=19");
        assertThat(rrule("{\"type\":\"hourly\",\"interval\":1}", NO_END, thursday))
                .as("no pattern Graph documents")
                .isNull();
    }

    @Test
    void everyRangeKind() {
        LocalDate start = LocalDate.of(2017, 9, 4);
        String weekly =
                "{\"type\":\"weekly\",\"interval\":1,\"daysOfWeek\":[\"monday\"],\"firstDayOfWeek\":\"monday\"}";
        assertThat(rrule(
                        weekly,
                        "{\"type\":\"endDate\",\"startDate\":\"2017-09-04\",\"endDate\":\"2017-12-31\"}",
                        start))
                .isEqualTo("RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20180101T075959Z");
        // in summer time the day ends an hour earlier in UTC
        assertThat(rrule(
                        weekly,
                        "{\"type\":\"endDate\",\"startDate\":\"2017-09-04\",\"endDate\":\"2017-10-30\"}",
                        start))
                .isEqualTo("RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20171031T065959Z");
        assertThat(rrule(
                        weekly,
                        "{\"type\":\"numbered\",\"startDate\":\"2017-09-04\",\"endDate\":\"0001-01-01\",\"numberOfOccurrences\":10}",
                        start))
                .isEqualTo("RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10");
        assertThat(rrule(
                        weekly,
                        "{\"type\":\"noEnd\",\"startDate\":\"2017-09-04\",\"endDate\":\"0001-01-01\",\"numberOfOccurrences\":0}",
                        start))
                .isEqualTo("RRULE:FREQ=WEEKLY;BYDAY=MO");
        assertThat(GraphRecurrence.toRrule(
                        json(
                                "{\"pattern\":" + weekly
                                        + ",\"range\":{\"type\":\"endDate\",\"startDate\":\"2017-09-04\",\"endDate\":\"2017-12-31\"}}"),
                        start,
                        LA,
                        true))
                .as("an all-day series ends on a date")
                .isEqualTo("RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20171231");
    }

    @Test
    void rulesGoToGraphAndComeBackTheSame() {
        LocalDate start = LocalDate.of(2026, 3, 2);
        for (String rule : List.of(
                "RRULE:FREQ=DAILY",
                "RRULE:FREQ=DAILY;INTERVAL=3;COUNT=10",
                "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU;WKST=SU",
                "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260701T065959Z",
                "RRULE:FREQ=MONTHLY;BYMONTHDAY=15",
                "RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
                "RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE",
                "RRULE:FREQ=MONTHLY;BYDAY=TH,FR;BYSETPOS=1",
                "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                "RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15",
                "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
                "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=-1WE;COUNT=3")) {
            assertThat(roundTrip(rule, start)).as(rule).isEqualTo(rule);
        }
    }

    @Test
    void whatOtherCalendarsWriteIsReadTheWayTheyMeanIt() {
        LocalDate start = LocalDate.of(2026, 3, 19); // a Thursday
        ObjectNode weekdays = GraphRecurrence.toGraph(
                List.of("RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"), start, LA, "Pacific Standard Time");
        assertThat(weekdays.at("/pattern/type").asString()).isEqualTo("weekly");
        assertThat(weekdays.at("/pattern/daysOfWeek")).hasSize(5);

        ObjectNode lastDay = GraphRecurrence.toGraph(
                List.of("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1"), start, LA, "Pacific Standard Time");
        assertThat(lastDay.at("/pattern/type").asString()).isEqualTo("absoluteMonthly");
        assertThat(lastDay.at("/pattern/dayOfMonth").asInt()).isEqualTo(31);

        ObjectNode bareMonthly =
                GraphRecurrence.toGraph(List.of("RRULE:FREQ=MONTHLY"), start, LA, "Pacific Standard Time");
        assertThat(bareMonthly.at("/pattern/dayOfMonth").asInt()).isEqualTo(19);

        ObjectNode bareYearly =
                GraphRecurrence.toGraph(List.of("RRULE:FREQ=YEARLY"), start, LA, "Pacific Standard Time");
        assertThat(bareYearly.at("/pattern/type").asString()).isEqualTo("absoluteYearly");
        assertThat(bareYearly.at("/pattern/month").asInt()).isEqualTo(3);
        assertThat(bareYearly.at("/pattern/dayOfMonth").asInt()).isEqualTo(19);

        ObjectNode bareWeekly = GraphRecurrence.toGraph(
                List.of("RRULE:FREQ=WEEKLY;UNTIL=20260401", "EXDATE:20260326T170000Z"),
                start,
                LA,
                "Pacific Standard Time");
        assertThat(bareWeekly.at("/pattern/daysOfWeek/0").asString()).isEqualTo("thursday");
        assertThat(bareWeekly.at("/pattern/firstDayOfWeek").asString()).isEqualTo("monday");
        assertThat(bareWeekly.at("/range/type").asString()).isEqualTo("endDate");
        assertThat(bareWeekly.at("/range/endDate").asString()).isEqualTo("2026-04-01");
        assertThat(bareWeekly.at("/range/startDate").asString()).isEqualTo("2026-03-19");
        assertThat(bareWeekly.at("/range/recurrenceTimeZone").asString()).isEqualTo("Pacific Standard Time");
    }

    @Test
    void whatGraphCannotHoldIsPermanentAndSaysWhat() {
        LocalDate start = LocalDate.of(2026, 3, 2);
        List<List<String>> rules = List.of(
                List.of("RRULE:FREQ=HOURLY;INTERVAL=2"),
                List.of("RRULE:FREQ=DAILY;BYHOUR=9,17"),
                List.of("RRULE:FREQ=YEARLY;BYWEEKNO=20"),
                List.of("RRULE:FREQ=YEARLY;BYYEARDAY=100"),
                List.of("RRULE:FREQ=MONTHLY;BYDAY=5MO"),
                List.of("RRULE:FREQ=MONTHLY;BYDAY=MO"),
                List.of("RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15"),
                List.of("RRULE:FREQ=YEARLY;BYMONTH=1,7"),
                List.of("RRULE:FREQ=WEEKLY;COUNT=3;UNTIL=20260401"),
                List.of("RRULE:FREQ=WEEKLY;BYDAY=1MO"),
                List.of("RRULE:FREQ=DAILY;INTERVAL=2;BYDAY=MO,WE"),
                List.of("RRULE:FREQ=DAILY", "RDATE:20260315T170000Z"),
                List.of("RRULE:FREQ=DAILY", "RRULE:FREQ=WEEKLY"),
                List.of("EXDATE:20260315T170000Z"));
        for (List<String> lines : rules) {
            ProviderException e = catchThrowableOfType(
                    ProviderException.class, () -> GraphRecurrence.toGraph(lines, start, LA, "Pacific Standard Time"));
            assertThat(e).as(lines.toString()).isNotNull();
            assertThat(e.kind()).as(lines.toString()).isEqualTo(ProviderException.Kind.PERMANENT);
            assertThat(e.getMessage()).as(lines.toString()).startsWith("Graph cannot express");
        }
        assertThat(catchThrowableOfType(
                                ProviderException.class,
                                () -> GraphRecurrence.toGraph(
                                        List.of("RRULE:FREQ=DAILY;BYHOUR=9"), start, LA, "Pacific Standard Time"))
                        .getMessage())
                .contains("BYHOUR");
    }

    /** The "last of 28..31" form is what Outlook means by the 31st: the month's last day when it is shorter. */
    @Test
    void theLastDayFormExpandsLikeOutlook() {
        List<Instant> starts = GraphRecurrence.starts(
                "RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
                LocalDateTime.of(2026, 1, 31, 9, 0).atZone(LA),
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-05-01T00:00:00Z"));

        assertThat(starts)
                .containsExactly(
                        Instant.parse("2026-01-31T17:00:00Z"),
                        Instant.parse("2026-02-28T17:00:00Z"),
                        Instant.parse("2026-03-31T16:00:00Z"),
                        Instant.parse("2026-04-30T16:00:00Z"));
    }

    @Test
    void untilIsReadInTheSeriesZone() {
        assertThat(GraphRecurrence.untilDate("20260630T000000Z", LA)).isEqualTo(LocalDate.of(2026, 6, 29));
        assertThat(GraphRecurrence.untilDate("20260630", LA)).isEqualTo(LocalDate.of(2026, 6, 30));
        assertThat(GraphRecurrence.untilDate("20260630T235959", LA)).isEqualTo(LocalDate.of(2026, 6, 30));
    }

    @Test
    void exdatesAreUtcOrDates() {
        assertThat(GraphRecurrence.exdates(List.of(Instant.parse("2026-03-17T17:00:00Z"))))
                .containsExactly("EXDATE:20260317T170000Z");
        assertThat(GraphRecurrence.exdateDates(List.of(LocalDate.of(2026, 3, 17))))
                .containsExactly("EXDATE;VALUE=DATE:20260317");
    }

    @Test
    void anUntilJustBeforeAnOccurrenceEndsGraphsRangeTheDayBefore() {
        // Mondays 09:00 Berlin, cut just before 21 Dec (what "this and following" writes): Graph's endDate is 14 Dec.
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        tools.jackson.databind.node.ObjectNode cut = GraphRecurrence.toGraph(
                java.util.List.of("RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20261221T075959Z"),
                java.time.LocalDate.parse("2026-12-07"),
                java.time.LocalTime.of(9, 0),
                berlin,
                "W. Europe Standard Time");
        org.assertj.core.api.Assertions.assertThat(
                        cut.path("range").path("endDate").asString())
                .isEqualTo("2026-12-20");
        // An UNTIL at or after the day's occurrence keeps that day.
        tools.jackson.databind.node.ObjectNode kept = GraphRecurrence.toGraph(
                java.util.List.of("RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20261221T080000Z"),
                java.time.LocalDate.parse("2026-12-07"),
                java.time.LocalTime.of(9, 0),
                berlin,
                "W. Europe Standard Time");
        org.assertj.core.api.Assertions.assertThat(
                        kept.path("range").path("endDate").asString())
                .isEqualTo("2026-12-21");
    }
}
