/**
 * CalDAV calendars (RFC 4791), iCloud's ({@code APPLE}) and any other server's ({@code CALDAV}): discovery (RFC 6764,
 * {@code current-user-principal}, {@code calendar-home-set}), incremental sync by RFC 6578 {@code sync-collection}
 * (else the collection's ctag), and writes with {@code If-Match} / {@code If-None-Match: *}. Every request goes
 * through the SSRF-guarded client; the password is Basic auth over https (http only to loopback).
 */
package io.calsync.providers.caldav;
