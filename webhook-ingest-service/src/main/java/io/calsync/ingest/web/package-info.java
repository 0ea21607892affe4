/**
 * The webhook routes under {@code /api/v1/calendar/webhooks}: {@code POST /microsoft} and {@code POST
 * /microsoft/lifecycle} (Graph change and lifecycle notifications, and Graph's validation handshake on both), {@code
 * POST /google} (Calendar push messages, read from their {@code X-Goog-*} headers).
 *
 * <p>Bodies are read by hand, with a size cap, instead of through message converters: the handshake must be answered
 * before anything else is done with the request, and the cap must hold for chunked bodies, which carry no length.
 * Every error is {@code application/problem+json} with a stable {@code code}.
 */
package io.calsync.ingest.web;
