package io.calsync.gateway.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The authenticated caller of a request: its calendar user id and email (from the main app's JWT). */
public record CurrentUser(UUID id, String email) {

    static final String ATTRIBUTE = CurrentUser.class.getName();

    /** The caller of the current request; only routes behind {@link SecurityConfiguration}'s chain have one. */
    public static CurrentUser get() {
        ServletRequestAttributes attrs = (ServletRequestAttributes) RequestContextHolder.currentRequestAttributes();
        return from(attrs.getRequest());
    }

    public static CurrentUser from(HttpServletRequest request) {
        CurrentUser user = (CurrentUser) request.getAttribute(ATTRIBUTE);
        if (user == null) {
            throw new IllegalStateException("no authenticated user on this request");
        }
        return user;
    }
}
