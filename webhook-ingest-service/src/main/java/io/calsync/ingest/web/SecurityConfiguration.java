package io.calsync.ingest.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * webhook-ingest on Spring Security. Google and Microsoft call the webhooks without credentials of ours: each
 * notification is checked against its subscription (Graph's clientState, Google's channel token) by the use case, so
 * the routes are open here. What Spring Security adds is its request firewall ({@code StrictHttpFirewall}: {@code ;}
 * parameters, encoded slashes and dots, and other path tricks are refused with a 400 problem before any handler),
 * no session, no form or basic login, and its response headers. No CSRF token: no browser calls these routes with
 * credentials, and none are accepted.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain webhooks(HttpSecurity http) throws Exception {
        http.csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    /** A request the firewall refuses is a 400 problem, as every other malformed request here. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, e) -> Problems.write(
                response, HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", "the request path is not allowed");
    }
}
