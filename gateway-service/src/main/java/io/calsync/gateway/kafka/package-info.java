/**
 * {@code StreamWakeups}: every replica reads {@code calendar.events-changed} (a group of its own, latest offset) and
 * wakes the open {@code GET /stream} streams of the message's user.
 */
package io.calsync.gateway.kafka;
