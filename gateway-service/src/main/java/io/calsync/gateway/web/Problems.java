package io.calsync.gateway.web;

import io.calsync.gateway.application.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
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
        response.getWriter().write(JSON.writeValueAsString(body(status, code, detail)));
    }

    /** 503 with {@code Retry-After: 5}: a dependency (database, Redis) is away and the caller should come back soon. */
    public static void writeUnavailable(HttpServletResponse response, String detail) throws IOException {
        write(response, HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", detail, Map.of("Retry-After", "5"));
    }

    /** A problem without field errors as the JSON members the contract lists, for writers outside MVC. */
    public static Map<String, Object> body(HttpStatus status, String code, String detail) {
        ProblemDetail p = of(status, code, detail, null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", p.getType().toString());
        body.put("title", p.getTitle());
        body.put("status", p.getStatus());
        body.put("detail", p.getDetail());
        body.put("code", code);
        return body;
    }

    /** The contract's code for an error status ("Error codes"), for answers that came without one. */
    public static String codeFor(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "MALFORMED_REQUEST";
            case UNAUTHORIZED -> "UNAUTHENTICATED";
            case NOT_FOUND -> "NOT_FOUND";
            case METHOD_NOT_ALLOWED -> "METHOD_NOT_ALLOWED";
            case CONFLICT -> "CONFLICT";
            case CONTENT_TOO_LARGE -> "PAYLOAD_TOO_LARGE";
            case UNSUPPORTED_MEDIA_TYPE -> "UNSUPPORTED_MEDIA_TYPE";
            case UNPROCESSABLE_CONTENT -> "VALIDATION_FAILED";
            case TOO_MANY_REQUESTS -> "RATE_LIMITED";
            case BAD_GATEWAY -> "PROVIDER_UNAVAILABLE";
            case SERVICE_UNAVAILABLE -> "SERVICE_UNAVAILABLE";
            default -> status.is4xxClientError() ? "MALFORMED_REQUEST" : "INTERNAL_ERROR";
        };
    }
}
