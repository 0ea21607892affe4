package io.calsync.gateway.application;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import java.util.regex.Pattern;

/** The request id of a call: the caller's {@code X-Request-Id} when it is sane, else one made here (once per request). */
public final class RequestIds {

    private static final Pattern SANE = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    private static final String ATTRIBUTE = RequestIds.class.getName();

    private RequestIds() {}

    public static String of(HttpServletRequest request) {
        Object existing = request.getAttribute(ATTRIBUTE);
        if (existing != null) {
            return (String) existing;
        }
        String given = request.getHeader("X-Request-Id");
        String id = given != null && SANE.matcher(given).matches()
                ? given
                : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }
}
