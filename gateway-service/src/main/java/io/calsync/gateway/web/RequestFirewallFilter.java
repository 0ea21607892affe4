package io.calsync.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing every request meets: Spring Security's {@link StrictHttpFirewall} refuses path spellings that
 * could make one route look like another ({@code ;} parameters, encoded slashes, dots and percent signs, {@code //},
 * {@code ..}, control characters) with 400 {@code MALFORMED_REQUEST}, before any filter or handler. What passes has
 * one meaning, so authentication and rate limits classify it by its decoded path ({@link #path}), exactly as Spring
 * MVC routes it: no spelling escapes them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestFirewallFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestFirewallFilter.class);
    private final StrictHttpFirewall firewall = new StrictHttpFirewall();

    /** The request's path as the servlet container decoded it (what handlers are matched against). */
    public static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String info = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (info == null ? "" : info);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpServletRequest checked;
        try {
            checked = firewall.getFirewalledRequest(request);
        } catch (RequestRejectedException e) {
            log.info("refused request path method={} reason={}", request.getMethod(), e.getMessage());
            Problems.write(
                    response,
                    HttpStatus.BAD_REQUEST,
                    "MALFORMED_REQUEST",
                    "the request's path or method is not allowed (path parameters, encoded slashes, dots or percent"
                            + " signs, empty or relative segments)",
                    Map.of());
            return;
        }
        chain.doFilter(checked, response);
    }
}
