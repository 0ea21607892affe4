/**
 * What every route shares: problem+json errors ({@code ApiExceptionHandler}, {@code Problems}, {@code ApiException}),
 * the body size cap, CORS and the OpenAPI description.
 */
package io.calsync.gateway.web;
