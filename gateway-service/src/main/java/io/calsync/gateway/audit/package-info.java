/**
 * The user's audit trail: {@link io.calsync.gateway.audit.AuditLog} writes one row per connection, sync and event
 * operation (with the request id of {@link io.calsync.gateway.audit.RequestIds}) and pages them for
 * {@code GET /audit} ({@link io.calsync.gateway.audit.AuditController}).
 */
package io.calsync.gateway.audit;
