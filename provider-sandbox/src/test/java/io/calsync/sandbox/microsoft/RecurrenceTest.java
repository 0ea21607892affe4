package io.calsync.sandbox.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expansion of Graph recurrence patterns and ranges (the patterns of Microsoft's recurring-events guide). */
class RecurrenceTest {

    static Recurrence parse(String pattern, String range) {
        return Recurrence.parse(GraphTestSupport.obj("{\"pattern\":" + pattern + ",\"range\":" + range + "}"), "UTC");
    }

    static List<LocalDate> dates(String... iso) {
        return java.util.Arrays.stream(iso).map(LocalDate::parse).toList();
    }

    @Test
    void dailyEveryThirdDay() {
        Recurrence r = parse(
                "{\"type\":\"daily\",\"interval\":3}",
                "{\"type\":\"numbered\",\"startDate\":\"2017-04-02\",\"numberOfOccurrences\":4}");
        assertThat(r.dates(LocalDate.of(2030, 1, 1)))
                .isEqualTo(dates("2017-04-02", "2017-04-05", "2017-04-08", "2017-04-11"));
    }

    @Test
    void weeklyEveryOtherWeekOnMondayAndTuesday() {
        // 2017-05-15 is a Monday; weeks start on Sunday
        Recurrence r = parse(
                "{\"type\":\"weekly\",\"interval\":2,\"daysOfWeek\":[\"Monday\",\"Tuesday\"]}",
                "{\"type\":\"endDate\",\"startDate\":\"2017-05-16\",\"endDate\":\"2017-06-13\"}");
        assertThat(r.dates(LocalDate.of(2030, 1, 1)))
                .isEqualTo(dates("2017-05-16", "2017-05-29", "2017-05-30", "2017-06-12", "2017-06-13"));
    }

    @Test
    void absoluteMonthlyFallsOnTheLastDayOfShorterMonths() {
        Recurrence r = parse(
                "{\"type\":\"absoluteMonthly\",\"interval\":1,\"dayOfMonth\":31}",
                "{\"type\":\"numbered\",\"startDate\":\"2026-01-31\",\"numberOfOccurrences\":4}");
        assertThat(r.dates(LocalDate.of(2030, 1, 1)))
                .isEqualTo(dates("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"));
    }

    @Test
    void relativeMonthlyPicksTheIndexedDay() {
        Recurrence second = parse(
                "{\"type\":\"relativeMonthly\",\"interval\":1,\"daysOfWeek\":[\"Wednesday\"],\"index\":\"second\"}",
                "{\"type\":\"numbered\",\"startDate\":\"2026-01-01\",\"numberOfOccurrences\":3}");
        assertThat(second.dates(LocalDate.of(2030, 1, 1))).isEqualTo(dates("2026-01-14", "2026-02-11", "2026-03-11"));

        Recurrence firstThuOrFri = parse(
                "{\"type\":\"relativeMonthly\",\"interval\":1,\"daysOfWeek\":[\"Thursday\",\"Friday\"],\"index\":\"first\"}",
                "{\"type\":\"numbered\",\"startDate\":\"2026-01-01\",\"numberOfOccurrences\":3}");
        assertThat(firstThuOrFri.dates(LocalDate.of(2030, 1, 1)))
                .isEqualTo(dates("2026-01-01", "2026-02-05", "2026-03-05"));

        Recurrence last = parse(
                "{\"type\":\"relativeMonthly\",\"interval\":2,\"daysOfWeek\":[\"Friday\"],\"index\":\"last\"}",
                "{\"type\":\"numbered\",\"startDate\":\"2026-01-01\",\"numberOfOccurrences\":2}");
        assertThat(last.dates(LocalDate.of(2030, 1, 1))).isEqualTo(dates("2026-01-30", "2026-03-27"));
    }

    @Test
    void yearlyPatterns() {
        Recurrence absolute = parse(
                "{\"type\":\"absoluteYearly\",\"interval\":1,\"dayOfMonth\":15,\"month\":4}",
                "{\"type\":\"noEnd\",\"startDate\":\"2026-04-15\"}");
        assertThat(absolute.dates(LocalDate.of(2028, 12, 31)))
                .isEqualTo(dates("2026-04-15", "2027-04-15", "2028-04-15"));

        Recurrence relative = parse(
                "{\"type\":\"relativeYearly\",\"interval\":1,\"daysOfWeek\":[\"Wednesday\"],\"index\":\"last\",\"month\":11}",
                "{\"type\":\"numbered\",\"startDate\":\"2026-01-01\",\"numberOfOccurrences\":2}");
        assertThat(relative.dates(LocalDate.of(2030, 1, 1))).isEqualTo(dates("2026-11-25", "2027-11-24"));
    }

    @Test
    void noEndStopsAtTheRequestedDate() {
        Recurrence r = parse(
                "{\"type\":\"weekly\",\"interval\":1,\"daysOfWeek\":[\"Thursday\"]}",
                "{\"type\":\"noEnd\",\"startDate\":\"2026-01-01\"}");
        assertThat(r.dates(LocalDate.of(2026, 1, 22)))
                .isEqualTo(dates("2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22"));
    }

    @Test
    void invalidPatternsAreValidationErrors() {
        GraphException noDays = catchThrowableOfType(
                GraphException.class,
                () -> parse(
                        "{\"type\":\"weekly\",\"interval\":1}", "{\"type\":\"noEnd\",\"startDate\":\"2026-01-01\"}"));
        assertThat(noDays.status()).isEqualTo(400);
        assertThat(noDays.code()).isEqualTo("ErrorPropertyValidationFailure");
        GraphException noCount = catchThrowableOfType(
                GraphException.class,
                () -> parse(
                        "{\"type\":\"daily\",\"interval\":1}", "{\"type\":\"numbered\",\"startDate\":\"2026-01-01\"}"));
        assertThat(noCount.status()).isEqualTo(400);
        GraphException badType = catchThrowableOfType(
                GraphException.class,
                () -> parse(
                        "{\"type\":\"hourly\",\"interval\":1}", "{\"type\":\"noEnd\",\"startDate\":\"2026-01-01\"}"));
        assertThat(badType.status()).isEqualTo(400);
    }

    @Test
    void writtenBackInGraphsFullForm() {
        Recurrence r = Recurrence.parse(GraphTestSupport.obj("""
                {"pattern":{"type":"weekly","interval":1,"daysOfWeek":["Monday"]},
                 "range":{"type":"endDate","startDate":"2017-09-04","endDate":"2017-12-31"}}"""), "Pacific Standard Time");
        assertThat(GraphJson.write(r.toJson()))
                .isEqualTo("{\"pattern\":{\"type\":\"weekly\",\"interval\":1,\"month\":0,"
                        + "\"dayOfMonth\":0,\"daysOfWeek\":[\"monday\"],\"firstDayOfWeek\":\"sunday\",\"index\":\"first\"},"
                        + "\"range\":{\"type\":\"endDate\",\"startDate\":\"2017-09-04\",\"endDate\":\"2017-12-31\","
                        + "\"recurrenceTimeZone\":\"Pacific Standard Time\",\"numberOfOccurrences\":0}}");
    }
}
