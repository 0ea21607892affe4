package io.calsync.ingest.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * RFC 9457 problems as the contract shapes them ({@code type, title, status, detail, code}), written straight to the
 * response: the providers send whatever {@code Accept} they like, and an error must not turn into a 406.
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    static void write(HttpServletResponse response, HttpStatus status, String code, String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "type",
                "https://calsync.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("code", code);
        response.setStatus(status.value());
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(body));
    }
}
