package io.calsync.oauth.web;

import java.time.Duration;
import org.springframework.http.ResponseCookie;

/**
 * The cookie that binds an OAuth login to the browser that started it (the contract's Tightenings): set by the login
 * answer, httpOnly, {@code SameSite=Lax} (it must come along on the provider's top-level redirect to the callback),
 * scoped to the OAuth routes, as long-lived as the state; {@code Secure} wherever the frontend is served over https.
 */
final class BrowserBinding {

    static final String COOKIE = "calsync_oauth";
    static final String PATH = "/api/v1/calendar/oauth";

    private BrowserBinding() {}

    static ResponseCookie set(String state, String frontendUrl) {
        return base(state, frontendUrl).maxAge(Duration.ofMinutes(10)).build();
    }

    /** Spent with the callback, whatever its outcome. */
    static ResponseCookie clear(String frontendUrl) {
        return base("", frontendUrl).maxAge(Duration.ZERO).build();
    }

    private static ResponseCookie.ResponseCookieBuilder base(String value, String frontendUrl) {
        return ResponseCookie.from(COOKIE, value)
                .httpOnly(true)
                .sameSite("Lax")
                .path(PATH)
                .secure(frontendUrl != null && frontendUrl.startsWith("https://"));
    }
}
