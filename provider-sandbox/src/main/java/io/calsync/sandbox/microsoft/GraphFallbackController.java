package io.calsync.sandbox.microsoft;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Any other path under {@code /graph/v1.0}: Graph answers 400 naming the segment it does not know (after
 * authentication), not an HTML or Spring error page. Specific mappings always win over this one.
 */
@RestController
class GraphFallbackController {

    private final GraphHttp http;

    GraphFallbackController(GraphHttp http) {
        this.http = http;
    }

    @RequestMapping(GraphHttp.PREFIX + "/**")
    ResponseEntity<Object> unknown(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            HttpServletRequest request) {
        http.me(authorization);
        String path = request.getRequestURI();
        String segment = path.substring(path.lastIndexOf('/') + 1);
        throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + segment + "'.");
    }
}
