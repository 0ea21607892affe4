/**
 * What the gateway reads and keeps: the range read of events ({@code EventReader}), free/busy's reads
 * ({@code FreeBusyReader}), the change log in commit-safe order ({@code ChangeLog}), calendar counts and sync state
 * ({@code CalendarQueries}), the audit trail ({@code AuditLog}), Idempotency-Keys ({@code Idempotency}), the calendar
 * user of a token ({@code UserDirectory}); and in Redis the token blacklist ({@code RedisTokenBlacklist},
 * {@code RedisAvailability}) and the rate-limit counters ({@code RateLimiter}).
 */
package io.calsync.gateway.persistence;
