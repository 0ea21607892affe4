package io.calsync.gateway.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problems as the contract shapes them: {@code type, title, status, detail, code} and, for validation,
 * {@code errors:[{field, message}]}. Used by the exception handler and by filters that answer before MVC runs.
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {}

    public static ProblemDetail of(
            HttpStatus status, String code, String detail, List<ApiException.FieldProblem> errors) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("https://calsync.dev/problems/"
                + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        p.setTitle(status.getReasonPhrase());
        p.setProperty("code", code);
        if (errors != null && !errors.isEmpty()) {
            p.setProperty("errors", errors);
        }
        return p;
    }

    /** Writes a problem straight to the servlet response (for filters). */
    public static void write(
            HttpServletResponse response, HttpStatus status, String code, String detail, Map<String, String> headers)
            throws IOException {
        ProblemDetail p = of(status, code, detail, null);
        response.setStatus(status.value());
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        headers.forEach(response::setHeader);
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", p.getType().toString());
        body.put("title", p.getTitle());
        body.put("status", p.getStatus());
        body.put("detail", p.getDetail());
        body.put("code", code);
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
