/**
 * The gateway's use cases. Calendars ({@code CalendarService}: list, stats, disconnect, sync requests, sync state);
 * events ({@code EventService}: a write stores the row and its outbox command in one transaction; recurring scopes
 * this/following/all with {@code SeriesSplit}; answers to invitations; ETag preconditions; {@code IdempotentCreates}),
 * validated by {@code EventValidator} and {@code RruleRules}, answered as {@code EventView}; series expanded by
 * {@code RecurrenceExpander} within {@code RuleWindow}'s bounds and cached per series version by
 * {@code OccurrenceCache}; ICS feeds ({@code IcsService}, {@code FeedUrl}, {@code IcsValidation}); free/busy
 * arithmetic ({@code FreeBusy}); change cursors ({@code Cursors}) and live streams ({@code StreamHub}).
 */
package io.calsync.gateway.application;
