package io.calsync.sandbox.control;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import io.calsync.sandbox.faults.FaultRule;
import io.calsync.sandbox.faults.Faults;
import io.calsync.sandbox.oauth.OAuthEngine;
import io.calsync.sandbox.push.PushDelivery;
import io.calsync.sandbox.push.PushSender;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The control API for tests and demos (never part of a provider's API): accounts, tokens, settings, faults and the
 * log of push deliveries. Provider data (calendars, events) has its own control routes under
 * {@code /control/google/...} and {@code /control/microsoft/...}.
 */
@RestController
@RequestMapping("/control")
public class ControlController {

    private final SandboxState state;
    private final OAuthEngine oauth;
    private final Faults faults;
    private final PushSender push;

    public ControlController(SandboxState state, OAuthEngine oauth, Faults faults, PushSender push) {
        this.state = state;
        this.oauth = oauth;
        this.faults = faults;
        this.push = push;
    }

    public record NewAccount(Provider provider, String email, String displayName) {}

    public record Settings(Boolean autoApprove, Long accessTokenTtlSeconds, Long microsoftRefreshGraceSeconds) {}

    @PostMapping("/reset")
    ResponseEntity<Void> reset() {
        state.reset();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/settings")
    Settings settings() {
        return new Settings(
                state.autoApprove(),
                state.accessTokenTtl().toSeconds(),
                state.microsoftRefreshGrace().toSeconds());
    }

    @PutMapping("/settings")
    Settings updateSettings(@RequestBody Settings s) {
        if (s.autoApprove() != null) {
            state.setAutoApprove(s.autoApprove());
        }
        if (s.accessTokenTtlSeconds() != null) {
            state.setAccessTokenTtl(Duration.ofSeconds(s.accessTokenTtlSeconds()));
        }
        if (s.microsoftRefreshGraceSeconds() != null) {
            state.setMicrosoftRefreshGrace(Duration.ofSeconds(s.microsoftRefreshGraceSeconds()));
        }
        return settings();
    }

    @PostMapping("/accounts")
    ResponseEntity<Account> createAccount(@RequestBody NewAccount a) {
        if (a.provider() == null || a.email() == null || !a.email().contains("@")) {
            throw new IllegalArgumentException("an account needs a provider (GOOGLE or MICROSOFT) and an email");
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(state.createAccount(
                        a.provider(), a.email(), a.displayName() == null ? a.email() : a.displayName()));
    }

    @GetMapping("/accounts")
    List<Account> accounts() {
        return state.accounts();
    }

    /** Tokens for an account without a consent round trip (demos, API tests). */
    @PostMapping("/accounts/{id}/tokens")
    Map<String, Object> tokens(@PathVariable String id, @RequestParam(defaultValue = "calendar") String scope) {
        OAuthEngine.TokenGrant g = oauth.issueDirectly(account(id), scope);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", g.accessToken());
        body.put("refresh_token", g.refreshToken());
        body.put("expires_in", g.expiresIn());
        return body;
    }

    @PostMapping("/accounts/{id}/revoke")
    Map<String, Object> revoke(@PathVariable String id) {
        return Map.of("revoked", oauth.revoke(account(id).id()));
    }

    @PostMapping("/accounts/{id}/expire-access-tokens")
    Map<String, Object> expire(@PathVariable String id) {
        return Map.of("expired", oauth.expireAccessTokens(account(id).id()));
    }

    @GetMapping("/accounts/{id}/stats")
    Map<String, Object> stats(@PathVariable String id) {
        Account a = account(id);
        return Map.of("refreshGrants", oauth.refreshGrants(a.id()), "codeGrants", oauth.codeGrants(a.id()));
    }

    @PostMapping("/faults")
    ResponseEntity<FaultRule> addFault(@RequestBody FaultRule rule) {
        if (rule.kind() == null) {
            throw new IllegalArgumentException("a fault needs a kind");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(faults.add(rule));
    }

    @GetMapping("/faults")
    List<FaultRule> faults() {
        return faults.list();
    }

    @DeleteMapping("/faults")
    ResponseEntity<Void> clearFaults() {
        faults.clear();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/deliveries")
    List<PushDelivery> deliveries(@RequestParam(required = false) Provider provider) {
        return push.deliveries().stream()
                .filter(d -> provider == null || d.provider() == provider)
                .toList();
    }

    private Account account(String id) {
        return state.account(id).orElseThrow(() -> new NotFound("no account " + id));
    }

    /** A control call naming something that does not exist. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<Map<String, String>> notFound(NotFound e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", e.getMessage()));
    }
}
