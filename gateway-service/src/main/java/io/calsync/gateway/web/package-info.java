/**
 * The gateway's HTTP edge: one controller per resource (events, calendars, ICS, OAuth relayed to oauth-service over
 * the observed {@code RestClient}, free/busy, changes and the SSE stream, audit), and what every request passes
 * first: the request firewall ({@code RequestFirewallFilter}), identity on Spring Security ({@code SecurityConfiguration}: an
 * OAuth2 resource server for the main app's JWT by bearer or {@code access_token} cookie, {@code CrossSiteCheck} for
 * unsafe cookie requests, the caller as {@code CurrentUser}), the rate limits ({@code RateLimitFilter}, {@code LimitClass}), the body size cap; errors as
 * problem+json ({@code ApiExceptionHandler}, {@code Problems}, {@code ApiException}), CORS and the OpenAPI document.
 */
package io.calsync.gateway.web;
