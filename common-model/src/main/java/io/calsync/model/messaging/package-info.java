/**
 * The message contracts: topic names ({@link io.calsync.model.messaging.Topics}), the sealed family of message
 * records ({@link io.calsync.model.messaging.CalendarMessage}) and their JSON codec. Producers write through the
 * transactional outbox; consumers de-duplicate on {@code eventId}.
 */
package io.calsync.model.messaging;
