/**
 * Events: {@code EventController} (web, in) → {@code EventService} (writes: validation by {@code EventValidator}
 * and {@code RruleRules}, the row and its outbox command in one transaction) and {@code EventReader} (range reads,
 * series expanded by {@code RecurrenceExpander}, occurrence ids of {@code OccurrenceId}) → SQL and JPA (out). The
 * answer's shape is {@code EventView}.
 */
package io.calsync.gateway.events;
