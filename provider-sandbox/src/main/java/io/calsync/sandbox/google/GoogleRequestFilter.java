package io.calsync.sandbox.google;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two things Google's front end does for every API request that the official Java client relies on: it honours
 * {@code X-HTTP-Method-Override} (the client's {@code NetHttpTransport} cannot send PATCH, so it POSTs with the
 * header instead), and it accepts gzip-compressed request bodies ({@code Content-Encoding: gzip}, which the client
 * uses by default). Runs before the fault filter so that faults see the real method.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class GoogleRequestFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/google/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String override = request.getHeader("X-HTTP-Method-Override");
        String encoding = request.getHeader("Content-Encoding");
        boolean gzip = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip");
        if ((override == null || !"POST".equalsIgnoreCase(request.getMethod())) && !gzip) {
            chain.doFilter(request, response);
            return;
        }
        String method = override != null && "POST".equalsIgnoreCase(request.getMethod())
                ? override.trim().toUpperCase(Locale.ROOT)
                : request.getMethod();
        byte[] body = gzip ? new GZIPInputStream(request.getInputStream()).readAllBytes() : null;
        chain.doFilter(new Rewritten(request, method, body), response);
    }

    private static final class Rewritten extends HttpServletRequestWrapper {
        private final String method;
        private final byte[] body;

        Rewritten(HttpServletRequest request, String method, byte[] body) {
            super(request);
            this.method = method;
            this.body = body;
        }

        @Override
        public String getMethod() {
            return method;
        }

        /** A decoded body has its own length and no encoding any more; Spring reads both from the headers. */
        private boolean rewritten(String name) {
            return body != null
                    && ("Content-Encoding".equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name));
        }

        @Override
        public String getHeader(String name) {
            if (!rewritten(name)) {
                return super.getHeader(name);
            }
            return "Content-Length".equalsIgnoreCase(name) ? String.valueOf(body.length) : null;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (!rewritten(name)) {
                return super.getHeaders(name);
            }
            String value = getHeader(name);
            return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
        }

        @Override
        public int getIntHeader(String name) {
            return rewritten(name) ? (getHeader(name) == null ? -1 : body.length) : super.getIntHeader(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            if (body == null) {
                return super.getHeaderNames();
            }
            List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
            names.removeIf("Content-Encoding"::equalsIgnoreCase);
            if (names.stream().noneMatch("Content-Length"::equalsIgnoreCase)) {
                names.add("Content-Length");
            }
            return Collections.enumeration(names);
        }

        @Override
        public int getContentLength() {
            return body != null ? body.length : super.getContentLength();
        }

        @Override
        public long getContentLengthLong() {
            return body != null ? body.length : super.getContentLengthLong();
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                return super.getInputStream();
            }
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (body == null) {
                return super.getReader();
            }
            String charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8.name() : getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
