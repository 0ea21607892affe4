package io.calsync.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesSplitTest {

    @Test
    void aTimedSeriesEndsASecondBeforeTheCutInUtc() {
        // Mondays 09:00 Berlin from 7 Dec 2026; cut at 21 Dec 09:00 Berlin = 08:00Z
        Instant at = Instant.parse("2026-12-21T08:00:00Z");
        SeriesSplit.Rules r = SeriesSplit.at("FREQ=WEEKLY;BYDAY=MO", false, at, 2);
        assertThat(r.oldRule()).isEqualTo("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261221T075959Z");
        assertThat(r.newRule()).isEqualTo("FREQ=WEEKLY;BYDAY=MO");
        assertThat(SeriesSplit.before(
                        "FREQ=WEEKLY;BYDAY=MO",
                        Instant.parse("2026-12-07T08:00:00Z"),
                        false,
                        null,
                        "Europe/Berlin",
                        at))
                .isEqualTo(2);
    }

    @Test
    void anAllDaySeriesEndsTheDayBeforeAsADate() {
        Instant at = LocalDate.parse("2027-03-01")
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant();
        SeriesSplit.Rules r = SeriesSplit.at("FREQ=MONTHLY;UNTIL=20271231", true, at, 3);
        assertThat(r.oldRule()).isEqualTo("FREQ=MONTHLY;UNTIL=20270228");
        assertThat(r.newRule()).as("the end stays with the new series").isEqualTo("FREQ=MONTHLY;UNTIL=20271231");
        assertThat(SeriesSplit.before(
                        "FREQ=MONTHLY;UNTIL=20271231",
                        Instant.parse("2026-12-01T00:00:00Z"),
                        true,
                        LocalDate.parse("2026-12-01"),
                        null,
                        at))
                .isEqualTo(3);
    }

    @Test
    void aCountMovesToTheNewSeriesAsWhatIsLeft() {
        Instant seriesStart = Instant.parse("2026-12-01T10:00:00Z");
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        int before = SeriesSplit.before("FREQ=DAILY;COUNT=10", seriesStart, false, null, "UTC", at);
        assertThat(before).isEqualTo(3);
        SeriesSplit.Rules r = SeriesSplit.at("FREQ=DAILY;COUNT=10", false, at, before);
        assertThat(r.oldRule()).isEqualTo("FREQ=DAILY;UNTIL=20261204T095959Z");
        assertThat(r.newRule()).isEqualTo("FREQ=DAILY;COUNT=7");
        assertThat(SeriesSplit.at("FREQ=DAILY;COUNT=3", false, at, 3).newRule())
                .as("nothing left")
                .isNull();
    }

    @Test
    void exdatesAndRdatesGoToThePartTheyFallIn() {
        Instant at = Instant.parse("2026-12-21T08:00:00Z");
        SeriesSplit.Rules r = SeriesSplit.at("FREQ=WEEKLY", false, at, 2);
        List<List<String>> lines = SeriesSplit.lines(
                List.of(
                        "RRULE:FREQ=WEEKLY",
                        "EXDATE;TZID=Europe/Berlin:20261214T090000",
                        "EXDATE;TZID=Europe/Berlin:20261228T090000",
                        "RDATE:20270105T080000Z"),
                r,
                at,
                false,
                "Europe/Berlin");
        assertThat(lines.get(0))
                .containsExactly(
                        "RRULE:FREQ=WEEKLY;UNTIL=20261221T075959Z", "EXDATE;TZID=Europe/Berlin:20261214T090000");
        assertThat(lines.get(1))
                .containsExactly(
                        "RRULE:FREQ=WEEKLY", "EXDATE;TZID=Europe/Berlin:20261228T090000", "RDATE:20270105T080000Z");
    }

    @Test
    void aCutAtAnOccurrenceThatIsAnOverrideCountsItAsTheRuleGeneratedIt() {
        // The override at 15 Dec moved to 16 Dec: the rule still generated 15 Dec, so a COUNT counts it.
        Instant seriesStart = Instant.parse("2026-12-14T10:00:00Z");
        Instant at = Instant.parse("2026-12-15T10:00:00Z");
        assertThat(SeriesSplit.before("FREQ=DAILY;COUNT=5", seriesStart, false, null, "UTC", at))
                .isEqualTo(1);
        assertThat(SeriesSplit.at("FREQ=DAILY;COUNT=5", false, at, 1).newRule()).isEqualTo("FREQ=DAILY;COUNT=4");
    }
}
