/**
 * {@code POST /freebusy}: when the user is busy, per calendar and merged, from the stored events of every provider
 * (series expanded as {@code GET /events} expands them; cancelled and free events left out).
 * {@link io.calsync.gateway.freebusy.FreeBusyController} reads the body, {@link io.calsync.gateway.freebusy.FreeBusy}
 * is the arithmetic (busy intervals of an event, clipping, merging), {@link io.calsync.gateway.freebusy.FreeBusyReader}
 * the SQL and the expansion.
 */
package io.calsync.gateway.freebusy;
