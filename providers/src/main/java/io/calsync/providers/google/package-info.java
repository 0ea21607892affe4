/**
 * The Google Calendar adapter of the sync engine, on the official {@code google-api-services-calendar} client rooted
 * at {@code GOOGLE_API_BASE_URL}:
 *
 * <ul>
 *   <li>{@link io.calsync.providers.google.GoogleCalendarSync}: full passes over the sync window and incremental passes
 *       by sync token, page by page into the engine's sink;
 *   <li>{@link io.calsync.providers.google.GoogleCalendarWriter}: idempotent creates (client-chosen ids), updates as
 *       {@code events.patch} of exactly the fields we store (so that what only Google holds survives) and deletes,
 *       both with {@code If-Match}, single-event reads;
 *   <li>{@link io.calsync.providers.google.GoogleChannels}: push channels ({@code events.watch}, {@code channels.stop}),
 *       renewed by opening a new one, as Google cannot extend a channel;
 *   <li>{@link io.calsync.providers.google.GoogleEventMapper}: Google's {@code Event} to and from the port's
 *       {@link io.calsync.providers.port.ProviderEvent};
 *   <li>{@code GoogleErrors}: Google's error answers classified as
 *       {@link io.calsync.providers.port.ProviderException} kinds, so that the shared retry policy
 *       ({@link io.calsync.providers.port.ProviderCalls}) backs off, refreshes the token or gives up.
 * </ul>
 *
 * Every HTTP call runs inside {@code ProviderCalls.execute}, which hands it the access token; nothing here logs or
 * throws a token, a sync token or a URL carrying one.
 */
package io.calsync.providers.google;
