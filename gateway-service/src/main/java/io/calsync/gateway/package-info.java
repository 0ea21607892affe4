/**
 * gateway-service: the frontend's REST API ({@code /api/v1/calendar/...}, see the contract).
 *
 * <ul>
 *   <li>{@code web}: problem+json errors, body size limit, CORS.
 *   <li>{@code identity}: the main app's JWT (Bearer or cookie), the calendar user, the Redis blacklist.
 *   <li>{@code ratelimit}: per-user limits per class, shared by replicas through Redis.
 *   <li>{@code audit}: audit rows of user actions and their listing.
 *   <li>{@code calendars}: connections: list, stats, disconnect, sync requests.
 *   <li>{@code events}: local event writes (row + outbox command in one transaction) and the range read with series
 *       expansion.
 * </ul>
 */
package io.calsync.gateway;
