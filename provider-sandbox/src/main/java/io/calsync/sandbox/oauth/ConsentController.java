package io.calsync.sandbox.oauth;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import io.calsync.sandbox.oauth.OAuthEngine.AuthorizationRequest;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The consent step both providers share: a real HTML page with the provider's accounts and Approve/Deny buttons, or,
 * with auto-approve on, an immediate redirect back to the client (with {@code login_hint} choosing the account).
 */
@RestController
public class ConsentController {

    private final OAuthEngine engine;
    private final SandboxState state;

    public ConsentController(OAuthEngine engine, SandboxState state) {
        this.engine = engine;
        this.state = state;
    }

    /** Answers an authorize request: the consent page, or the redirect when auto-approve is on. */
    ResponseEntity<String> consent(AuthorizationRequest request) {
        List<Account> accounts = state.accounts(request.provider());
        if (state.autoApprove()) {
            Optional<Account> account = request.loginHint() != null
                    ? state.findByEmail(request.provider(), request.loginHint())
                    : accounts.stream().findFirst();
            if (account.isPresent()) {
                return redirect(approvedUri(request, engine.approve(request.id(), account.get())));
            }
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(page(request, accounts));
    }

    @PostMapping(path = "/consent/{requestId}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<String> decide(
            @PathVariable String requestId,
            @RequestParam String decision,
            @RequestParam(required = false) String accountId) {
        AuthorizationRequest request = engine.pending(requestId).orElse(null);
        if (request == null) {
            return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                    .contentType(MediaType.TEXT_HTML)
                    .body("<!doctype html><p>This sign-in request is unknown or already finished.</p>");
        }
        if ("approve".equals(decision)) {
            Account account = accountId == null
                    ? null
                    : state.account(accountId)
                            .filter(a -> a.provider() == request.provider())
                            .orElse(null);
            if (account == null) {
                return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                        .contentType(MediaType.TEXT_HTML)
                        .body("<!doctype html><p>Choose an account to continue.</p>");
            }
            return redirect(approvedUri(request, engine.approve(requestId, account)));
        }
        engine.deny(requestId);
        UriComponentsBuilder uri =
                UriComponentsBuilder.fromUriString(request.redirectUri()).queryParam("error", "access_denied");
        if (request.provider() == Provider.MICROSOFT) {
            uri.queryParam("error_description", "AADSTS65004: User declined to consent to access the app.");
        }
        if (request.state() != null) {
            uri.queryParam("state", request.state());
        }
        return redirect(uri.encode().build().toUri());
    }

    private static URI approvedUri(AuthorizationRequest request, String code) {
        UriComponentsBuilder uri =
                UriComponentsBuilder.fromUriString(request.redirectUri()).queryParam("code", code);
        if (request.provider() == Provider.GOOGLE) {
            uri.queryParam("scope", request.scope());
        }
        if (request.state() != null) {
            uri.queryParam("state", request.state());
        }
        return uri.encode().build().toUri();
    }

    private static ResponseEntity<String> redirect(URI location) {
        return ResponseEntity.status(HttpStatus.FOUND).location(location).build();
    }

    private static String page(AuthorizationRequest request, List<Account> accounts) {
        String name = request.provider() == Provider.GOOGLE ? "Google" : "Microsoft";
        StringBuilder options = new StringBuilder();
        for (int i = 0; i < accounts.size(); i++) {
            Account a = accounts.get(i);
            boolean checked = request.loginHint() != null ? a.email().equalsIgnoreCase(request.loginHint()) : i == 0;
            options.append("<label class=\"acct\"><input type=\"radio\" name=\"accountId\" value=\"")
                    .append(HtmlUtils.htmlEscape(a.id()))
                    .append("\"")
                    .append(checked ? " checked" : "")
                    .append("> <b>")
                    .append(HtmlUtils.htmlEscape(a.displayName() == null ? a.email() : a.displayName()))
                    .append("</b> &lt;")
                    .append(HtmlUtils.htmlEscape(a.email()))
                    .append("&gt;</label>");
        }
        if (accounts.isEmpty()) {
            options.append("<p>No ")
                    .append(name)
                    .append(" account exists in the sandbox yet: create one with ")
                    .append("<code>POST /control/accounts</code>.</p>");
        }
        String scopes = HtmlUtils.htmlEscape(request.scope() == null ? "" : request.scope());
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Sign in with %1$s (sandbox)</title>
                <style>
                  body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#202124}
                  .card{border:1px solid #dadce0;border-radius:8px;padding:1.5rem 2rem}
                  .acct{display:block;padding:.5rem 0}
                  .scopes{font-size:.85rem;color:#5f6368;word-break:break-all}
                  button{font-size:1rem;padding:.5rem 1.5rem;margin-right:.5rem;border-radius:4px;border:1px solid #dadce0;cursor:pointer}
                  button[value=approve]{background:#1a73e8;color:#fff;border-color:#1a73e8}
                  .note{font-size:.8rem;color:#5f6368;margin-top:1.5rem}
                </style></head>
                <body><div class="card">
                <h1>%1$s</h1>
                <p><b>%2$s</b> wants to access your %1$s account.</p>
                <p class="scopes">Requested access: %3$s</p>
                <form method="post" action="/consent/%4$s">
                %5$s
                <p><button type="submit" name="decision" value="approve">Approve</button>
                <button type="submit" name="decision" value="deny">Deny</button></p>
                </form>
                <p class="note">calsync provider sandbox: no real %1$s account is involved.</p>
                </div></body></html>
                """.formatted(name, HtmlUtils.htmlEscape(request.clientId()), scopes, request.id(), options);
    }
}
