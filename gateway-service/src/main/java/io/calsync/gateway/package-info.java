/**
 * gateway-service: the frontend's REST API ({@code /api/v1/calendar/...}, see the contract), in the shape every
 * service has (docs/architecture.md, "Inside a service"):
 *
 * <ul>
 *   <li>{@code web} (in): the controllers of every route, and what runs before them: the request firewall, identity
 *       (the main app's JWT by bearer or cookie, the CSRF check of cookie requests), the rate limits, problem+json
 *       errors, CORS, the OpenAPI description.
 *   <li>{@code kafka} (in): the wake-ups of open streams ({@code calendar.events-changed}).
 *   <li>{@code application}: the use cases: calendars, events (writes, recurring scopes, RSVP, idempotent creates),
 *       ICS feeds, free/busy arithmetic, change cursors and live streams, and the recurrence rules and expansion they
 *       share.
 *   <li>{@code persistence} (out): SQL and JPA reads (the range read, free/busy, the change log, counts, audit),
 *       Idempotency-Keys, the calendar user, and Redis (blacklist, rate-limit counters).
 * </ul>
 * Commands and changes leave through the outbox (platform), in the transaction of the write.
 */
package io.calsync.gateway;
