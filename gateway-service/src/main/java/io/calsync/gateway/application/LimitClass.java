package io.calsync.gateway.application;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rate-limit classes of the contract, each with its per-user limit per minute and the routes it covers. */
public enum LimitClass {
    CONNECTION(
            10,
            List.of(
                    "GET /api/v1/calendar/oauth/(google|microsoft)/login",
                    "POST /api/v1/calendar/caldav/discover",
                    "POST /api/v1/calendar/ics/(validate|connect)",
                    "PUT /api/v1/calendar/ics/[^/]+")),
    SYNC(
            5,
            List.of(
                    "POST /api/v1/calendar/calendars/[^/]+/sync",
                    "POST /api/v1/calendar/calendars/sync-all",
                    "POST /api/v1/calendar/events/[^/]+/retry-sync")),
    EVENT_WRITE(
            30,
            List.of(
                    "POST /api/v1/calendar/events",
                    "PUT /api/v1/calendar/events/[^/]+",
                    "DELETE /api/v1/calendar/events/[^/]+"));

    private final int perMinute;
    private final List<Pattern> routes;

    LimitClass(int perMinute, List<String> routes) {
        this.perMinute = perMinute;
        this.routes = routes.stream().map(r -> Pattern.compile("^" + r + "/?$")).toList();
    }

    public int perMinute() {
        return perMinute;
    }

    /** The class of a request, if it belongs to one; reads are in none. */
    public static Optional<LimitClass> of(String method, String path) {
        String request = method + " " + path;
        for (LimitClass c : values()) {
            if (c.routes.stream().anyMatch(p -> p.matcher(request).matches())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
