package io.calsync.gateway.application;

/**
 * The answer of {@code POST /ics/validate} (contract): the feed can be connected.
 *
 * @param calendarName the name the calendar gets when connected without a display name: the feed's own
 *     ({@code X-WR-CALNAME} or {@code NAME}), else the host
 * @param eventCount the VEVENTs that could be read
 * @param timezone the feed's time zone, or null
 */
public record IcsValidation(boolean valid, String calendarName, int eventCount, String timezone) {}
