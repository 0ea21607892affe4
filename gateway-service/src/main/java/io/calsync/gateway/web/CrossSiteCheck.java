package io.calsync.gateway.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.env.Environment;

/**
 * CSRF defence for requests authenticated by the {@code access_token} cookie, which a browser attaches to requests
 * that other sites make (if the main app's cookie is not {@code SameSite=Strict}). An unsafe request (anything but
 * GET, HEAD, OPTIONS) riding on the cookie must come from the frontend: {@code Sec-Fetch-Site} {@code same-origin},
 * {@code same-site} or {@code none} (typed by the user), or an {@code Origin} among {@code CORS_ORIGINS} and
 * {@code FRONTEND_URL}'s origin. A request that carries neither header is not a browser's cross-site request (every
 * browser in use sends Origin on a cross-site POST) and passes. Bearer requests are exempt: no other site can make a
 * browser send the header.
 */
public class CrossSiteCheck {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Set<String> origins = new LinkedHashSet<>();

    public CrossSiteCheck(Environment env) {
        Arrays.stream(env.getProperty("CORS_ORIGINS", "").split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(CrossSiteCheck::origin)
                .forEach(origins::add);
        String frontend = env.getProperty("FRONTEND_URL", "");
        if (!frontend.isBlank()) {
            origins.add(origin(frontend));
        }
    }

    /** True when the request may go on; false for a cookie-authenticated unsafe request from another site. */
    public boolean allows(HttpServletRequest request, boolean viaCookie) {
        if (!viaCookie || SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            return true;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        String origin = request.getHeader("Origin");
        if (site != null) {
            String s = site.strip().toLowerCase(Locale.ROOT);
            if (s.equals("same-origin") || s.equals("same-site") || s.equals("none")) {
                return true;
            }
            return origin != null && origins.contains(origin(origin));
        }
        return origin == null || origins.contains(origin(origin));
    }

    /** {@code scheme://host[:port]} of a URL or an Origin header, lower case; "null" stays "null" (never allowed). */
    static String origin(String url) {
        try {
            URI u = URI.create(url.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                return url.strip().toLowerCase(Locale.ROOT);
            }
            return (u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()))
                    .toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return url.strip().toLowerCase(Locale.ROOT);
        }
    }
}
