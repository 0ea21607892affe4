package io.calsync.oauth.web;

import io.calsync.model.persistence.CalendarUserRepository;
import io.calsync.model.security.InvalidTokenException;
import io.calsync.model.security.JwtVerifier;
import io.calsync.model.security.VerifiedToken;
import io.calsync.oauth.application.OAuthProblem;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The user of a request: the main app's JWT the gateway forwarded, verified again here. */
@Component
class Callers {

    private final JwtVerifier verifier;
    private final CalendarUserRepository users;

    Callers(JwtVerifier verifier, CalendarUserRepository users) {
        this.verifier = verifier;
        this.users = users;
    }

    UUID userOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OAuthProblem(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "an access token is required");
        }
        VerifiedToken token;
        try {
            token = verifier.verify(authorization.substring(7).trim());
        } catch (InvalidTokenException e) {
            throw new OAuthProblem(
                    HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "the access token is invalid or expired");
        }
        return users.findByEmail(token.email()).map(u -> u.getId()).orElseGet(() -> {
            users.insertIfAbsent(UUID.randomUUID(), token.email());
            return users.findByEmail(token.email()).orElseThrow().getId();
        });
    }
}
