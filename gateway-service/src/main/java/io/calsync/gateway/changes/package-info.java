/**
 * Changes pushed to the frontend. The change log ({@code event_changes}, written by triggers in the transaction of
 * every change: see migration V6) is read by {@link io.calsync.gateway.changes.ChangeLog} in commit-safe order;
 * {@link io.calsync.gateway.changes.Cursors} turns a position in it into an opaque cursor bound to the user;
 * {@code GET /events/changes} ({@link io.calsync.gateway.changes.ChangesController}) pages through it, and
 * {@code GET /stream} ({@link io.calsync.gateway.changes.StreamController}) keeps an SSE stream per open tab, woken by
 * {@code calendar.events-changed} on Kafka ({@link io.calsync.gateway.changes.StreamWakeups}) and, as a safety net,
 * by a tick ({@link io.calsync.gateway.changes.StreamHub}).
 */
package io.calsync.gateway.changes;
