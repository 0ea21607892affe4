/** What a callback learned, kept until select or expiry ({@code calendar_sessions}); oauth-service's own table. */
package io.calsync.oauth.persistence;
