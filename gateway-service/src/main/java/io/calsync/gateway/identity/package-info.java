/**
 * Who is calling: the main app's JWT (bearer or {@code access_token} cookie) verified against {@code SECRET_KEY} and
 * the Redis blacklist, and the caller's {@code calendar_users} row ({@code UserDirectory}, created on the first
 * call), held for the request by {@code CurrentUser}.
 */
package io.calsync.gateway.identity;
