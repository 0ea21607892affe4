package io.calsync.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.gateway.application.FreeBusy.Busy;
import io.calsync.gateway.application.FreeBusy.Interval;
import io.calsync.gateway.application.FreeBusy.Status;
import io.calsync.model.domain.Availability;
import io.calsync.model.domain.EventStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreeBusyTest {

    static Instant t(String hhmm) {
        return Instant.parse("2026-05-04T" + hhmm + ":00Z");
    }

    @Test
    void onlyCancelledAndFreeEventsLeaveTimeFree() {
        assertThat(FreeBusy.status(EventStatus.CANCELLED, Availability.BUSY)).isNull();
        assertThat(FreeBusy.status(EventStatus.CONFIRMED, Availability.FREE)).isNull();
        assertThat(FreeBusy.status(EventStatus.TENTATIVE, Availability.FREE)).isNull();
        assertThat(FreeBusy.status(EventStatus.TENTATIVE, Availability.BUSY)).isEqualTo(Status.TENTATIVE);
        assertThat(FreeBusy.status(EventStatus.CONFIRMED, Availability.TENTATIVE))
                .isEqualTo(Status.TENTATIVE);
        assertThat(FreeBusy.status(EventStatus.CONFIRMED, Availability.OOF)).isEqualTo(Status.BUSY);
        assertThat(FreeBusy.status(EventStatus.CONFIRMED, Availability.WORKING_ELSEWHERE))
                .isEqualTo(Status.BUSY);
    }

    @Test
    void theUnionJoinsOverlappingAndTouchingIntervalsInAnyOrder() {
        List<Interval> union = FreeBusy.union(List.of(
                new Interval(t("13:00"), t("14:00")),
                new Interval(t("09:00"), t("10:00")),
                new Interval(t("10:00"), t("10:30")),
                new Interval(t("09:30"), t("09:45")),
                new Interval(t("13:30"), t("15:00")),
                new Interval(t("16:00"), t("16:01"))));
        assertThat(union)
                .containsExactly(
                        new Interval(t("09:00"), t("10:30")),
                        new Interval(t("13:00"), t("15:00")),
                        new Interval(t("16:00"), t("16:01")));
        assertThat(FreeBusy.union(List.of())).isEmpty();
    }

    @Test
    void aCalendarsIntervalsJoinPerStatusAndSortByStart() {
        List<Busy> joined = FreeBusy.join(List.of(
                new Busy(t("11:00"), t("12:00"), Status.BUSY),
                new Busy(t("09:00"), t("10:00"), Status.BUSY),
                new Busy(t("09:30"), t("11:00"), Status.BUSY),
                new Busy(t("09:15"), t("09:45"), Status.TENTATIVE)));
        assertThat(joined)
                .containsExactly(
                        new Busy(t("09:00"), t("12:00"), Status.BUSY),
                        new Busy(t("09:15"), t("09:45"), Status.TENTATIVE));
    }

    @Test
    void clippingKeepsOnlyWhatLiesInsideTheWindow() {
        assertThat(FreeBusy.clip(t("08:00"), t("10:00"), Status.BUSY, t("09:00"), t("17:00")))
                .isEqualTo(new Busy(t("09:00"), t("10:00"), Status.BUSY));
        assertThat(FreeBusy.clip(t("16:00"), t("18:00"), Status.BUSY, t("09:00"), t("17:00")))
                .isEqualTo(new Busy(t("16:00"), t("17:00"), Status.BUSY));
        assertThat(FreeBusy.clip(t("17:00"), t("18:00"), Status.BUSY, t("09:00"), t("17:00")))
                .isNull();
        assertThat(FreeBusy.clip(t("08:00"), t("09:00"), Status.BUSY, t("09:00"), t("17:00")))
                .isNull();
        assertThat(FreeBusy.clip(t("10:00"), t("10:00"), Status.BUSY, t("09:00"), t("17:00")))
                .as("an event without length blocks nothing")
                .isNull();
    }

    @Test
    void anAllDayEventBlocksItsDatesInItsZoneAcrossDst() {
        // Europe/London falls back on 25 October 2026: that day has 25 hours.
        assertThat(FreeBusy.allDay(LocalDate.parse("2026-10-25"), LocalDate.parse("2026-10-26"), "Europe/London"))
                .isEqualTo(new Interval(Instant.parse("2026-10-24T23:00:00Z"), Instant.parse("2026-10-26T00:00:00Z")));
        assertThat(FreeBusy.allDay(LocalDate.parse("2026-10-25"), LocalDate.parse("2026-10-27"), null))
                .isEqualTo(new Interval(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-27T00:00:00Z")));
        assertThat(FreeBusy.allDay(LocalDate.parse("2026-10-25"), LocalDate.parse("2026-10-26"), "Not/AZone"))
                .as("a zone that is none counts as UTC")
                .isEqualTo(new Interval(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-26T00:00:00Z")));
    }

    @Test
    void availabilityMapsEveryProvidersVocabulary() {
        assertThat(Availability.fromGoogleTransparency("transparent")).isEqualTo(Availability.FREE);
        assertThat(Availability.fromGoogleTransparency("opaque")).isEqualTo(Availability.BUSY);
        assertThat(Availability.fromGoogleTransparency(null)).isEqualTo(Availability.BUSY);
        assertThat(Availability.fromGraphShowAs("free")).isEqualTo(Availability.FREE);
        assertThat(Availability.fromGraphShowAs("tentative")).isEqualTo(Availability.TENTATIVE);
        assertThat(Availability.fromGraphShowAs("oof")).isEqualTo(Availability.OOF);
        assertThat(Availability.fromGraphShowAs("workingElsewhere")).isEqualTo(Availability.WORKING_ELSEWHERE);
        assertThat(Availability.fromGraphShowAs("unknown")).isEqualTo(Availability.BUSY);
        assertThat(Availability.fromIcsTransp("TRANSPARENT")).isEqualTo(Availability.FREE);
        assertThat(Availability.fromIcsTransp("OPAQUE")).isEqualTo(Availability.BUSY);
        assertThat(Availability.parse(null)).isEqualTo(Availability.BUSY);
        assertThat(Availability.parse("garbage")).isEqualTo(Availability.BUSY);
    }
}
