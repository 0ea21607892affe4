/**
 * The Microsoft Graph (Outlook calendar) adapter of the sync engine, against Graph v1.0 at
 * {@code MICROSOFT_GRAPH_BASE_URL}:
 *
 * <ul>
 *   <li>{@link io.calsync.providers.microsoft.GraphCalendarSync}: full passes over the sync window and incremental passes
 *       by delta link ({@code calendarView/delta}), page by page into the engine's sink, with each series' master
 *       read once per pass so that the engine gets masters with RRULEs rather than expanded occurrences only;
 *   <li>{@link io.calsync.providers.microsoft.GraphCalendarWriter}: creates de-duplicated by {@code transactionId},
 *       updates and deletes with {@code If-Match} on the change key, single-event reads;
 *   <li>{@link io.calsync.providers.microsoft.GraphEventMapper}: Graph's event JSON to and from the port's
 *       {@link io.calsync.providers.port.ProviderEvent} (Windows zone names, all-day dates, HTML bodies, attendees);
 *   <li>{@code GraphRecurrence}: Graph's recurrence patterns to and from RRULEs, and their expansion;
 *   <li>{@code GraphReader}: single events, and the EXDATEs of a master's cancelled occurrences, which Graph v1.0
 *       only shows by leaving them out;
 *   <li>{@code GraphClient}: plain HTTP to Graph with the {@code Prefer} headers every call needs, and Graph's
 *       answers classified as {@link io.calsync.providers.port.ProviderException} kinds for the shared retry policy
 *       ({@link io.calsync.providers.port.ProviderCalls}).
 * </ul>
 *
 * Every HTTP call runs inside {@code ProviderCalls.execute}, which hands it the access token; nothing here logs or
 * throws a token, a delta link or Graph's error text.
 */
package io.calsync.providers.microsoft;
