package io.calsync.gateway.web;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for the frontend's origins ({@code CORS_ORIGINS}, a comma list), with credentials for the cookie. A servlet
 * filter ahead of authentication, so that a 401 or 429 answered by a filter still carries the CORS headers the
 * browser needs to let the frontend read it.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration {

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(Environment env) {
        List<String> origins = Arrays.stream(env.getProperty("CORS_ORIGINS", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
        cors.setAllowedOrigins(origins);
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE", "OPTIONS"));
        // If-Match and Idempotency-Key (safe writes), Last-Event-ID (a stream resumed by a fetch-based client)
        cors.setAllowedHeaders(List.of(
                "Authorization",
                "Content-Type",
                "Accept",
                "X-Request-Id",
                "If-Match",
                "Idempotency-Key",
                "Last-Event-ID"));
        cors.setExposedHeaders(List.of("Retry-After", "X-Request-Id", "Location", "ETag"));
        cors.setAllowCredentials(true);
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/v1/calendar/**", cors);
        CorsFilter filter = new CorsFilter(source);
        // A cross-origin request from an origin that is not the frontend's is refused as a problem, as every error.
        filter.setCorsProcessor(new org.springframework.web.cors.DefaultCorsProcessor() {
            @Override
            protected void rejectRequest(org.springframework.http.server.ServerHttpResponse response)
                    throws java.io.IOException {
                Problems.write(
                        ((org.springframework.http.server.ServletServerHttpResponse) response).getServletResponse(),
                        org.springframework.http.HttpStatus.FORBIDDEN,
                        "CROSS_SITE_REQUEST",
                        "this origin is not allowed to call the API",
                        java.util.Map.of());
            }
        });
        FilterRegistrationBean<CorsFilter> bean = new FilterRegistrationBean<>(filter);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return bean;
    }
}
