package io.calsync.oauth.application;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The gateway's request id ({@code X-Request-Id}) of the current request, when it is sane. */
final class RequestContext {

    private RequestContext() {}

    static String requestId() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a) {
            HttpServletRequest request = a.getRequest();
            String id = request.getHeader("X-Request-Id");
            if (id != null && id.matches("[A-Za-z0-9._:-]{1,64}")) {
                return id;
            }
        }
        return null;
    }
}
