package io.calsync.sandbox.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.sandbox.SandboxServer;
import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import io.calsync.sandbox.faults.FaultRule;
import io.calsync.sandbox.faults.Faults;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Both providers' authorization-code flow with PKCE, driven over HTTP as a browser and a client would. */
class OAuthFlowTest {

    static final String GOOGLE_CLIENT = "sandbox-google-client";
    static final String GOOGLE_SECRET = "sandbox-google-secret";
    static final String MS_CLIENT = "00000000-0000-0000-0000-00000000c0de";
    static final String MS_SECRET = "sandbox-microsoft-secret";
    static final String REDIRECT = "http://127.0.0.1:9/callback";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-0123456789";

    static SandboxServer sandbox;
    static final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final JsonMapper json = JsonMapper.builder().build();
    Account google;
    Account microsoft;

    @BeforeAll
    static void start() {
        sandbox = SandboxServer.start(Map.of("sandbox.auto-approve", "false"));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void accounts() {
        SandboxState state = sandbox.bean(SandboxState.class);
        state.reset();
        state.setAutoApprove(false);
        google = state.createAccount(Provider.GOOGLE, "ada@gmail.test", "Ada Lovelace");
        microsoft = state.createAccount(Provider.MICROSOFT, "grace@outlook.test", "Grace Hopper");
    }

    static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postForm(String url, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String googleAuthorizeUrl() throws Exception {
        return sandbox.baseUrl() + "/google/o/oauth2/v2/auth?client_id=" + GOOGLE_CLIENT + "&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&response_type=code"
                + "&scope="
                + URLEncoder.encode("openid email https://www.googleapis.com/auth/calendar", StandardCharsets.UTF_8)
                + "&state=st-1&access_type=offline&prompt=consent&code_challenge_method=S256&code_challenge="
                + challenge(VERIFIER);
    }

    static String microsoftAuthorizeUrl() throws Exception {
        return sandbox.baseUrl() + "/microsoft/common/oauth2/v2.0/authorize?client_id=" + MS_CLIENT + "&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&response_type=code"
                + "&scope=" + URLEncoder.encode("offline_access Calendars.ReadWrite User.Read", StandardCharsets.UTF_8)
                + "&state=st-2&code_challenge_method=S256&code_challenge=" + challenge(VERIFIER);
    }

    /** Opens the consent page and presses a button, as a person in a browser would. */
    static Map<String, String> consent(String authorizeUrl, String decision) throws Exception {
        HttpResponse<String> page = get(authorizeUrl);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        Matcher action = Pattern.compile("action=\"(/consent/[^\"]+)\"").matcher(page.body());
        Matcher account =
                Pattern.compile("name=\"accountId\" value=\"([^\"]+)\" checked").matcher(page.body());
        assertThat(action.find()).isTrue();
        assertThat(page.body()).contains("Approve", "Deny");
        Map<String, String> form = new LinkedHashMap<>(Map.of("decision", decision));
        if (account.find()) {
            form.put("accountId", account.group(1));
        }
        HttpResponse<String> redirect = postForm(sandbox.baseUrl() + action.group(1), form);
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT);
        return UriComponentsBuilder.fromUriString(location)
                .build()
                .getQueryParams()
                .toSingleValueMap();
    }

    static JsonNode token(String url, Map<String, String> form, int expectedStatus) throws Exception {
        HttpResponse<String> res = postForm(url, form);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(expectedStatus);
        assertThat(res.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        return json.readTree(res.body());
    }

    String googleToken() {
        return sandbox.baseUrl() + "/google/token";
    }

    String msToken() {
        return sandbox.baseUrl() + "/microsoft/common/oauth2/v2.0/token";
    }

    @Test
    void googleApprovedConsentGivesCodeTokensAndTheEmail() throws Exception {
        Map<String, String> params = consent(googleAuthorizeUrl(), "approve");
        assertThat(params).containsEntry("state", "st-1").containsKey("code");

        JsonNode tokens = token(
                googleToken(),
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        params.get("code"),
                        "redirect_uri",
                        REDIRECT,
                        "client_id",
                        GOOGLE_CLIENT,
                        "client_secret",
                        GOOGLE_SECRET,
                        "code_verifier",
                        VERIFIER),
                200);
        assertThat(tokens.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isPositive();
        assertThat(tokens.get("refresh_token").asString()).isNotBlank();
        assertThat(tokens.get("id_token").asString()).isNotBlank();

        HttpResponse<String> userinfo = http.send(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/google/v1/userinfo"))
                        .header(
                                "Authorization",
                                "Bearer " + tokens.get("access_token").asString())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(userinfo.statusCode()).isEqualTo(200);
        assertThat(json.readTree(userinfo.body()).get("email").asString()).isEqualTo("ada@gmail.test");

        // The code is single use.
        JsonNode reuse = token(
                googleToken(),
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        params.get("code"),
                        "redirect_uri",
                        REDIRECT,
                        "client_id",
                        GOOGLE_CLIENT,
                        "client_secret",
                        GOOGLE_SECRET,
                        "code_verifier",
                        VERIFIER),
                400);
        assertThat(reuse.get("error").asString()).isEqualTo("invalid_grant");

        // Google keeps the refresh token: a refresh answers a new access token and no new refresh token.
        JsonNode refreshed = token(
                googleToken(),
                Map.of(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        tokens.get("refresh_token").asString(),
                        "client_id",
                        GOOGLE_CLIENT,
                        "client_secret",
                        GOOGLE_SECRET),
                200);
        assertThat(refreshed.get("access_token").asString())
                .isNotEqualTo(tokens.get("access_token").asString());
        assertThat(refreshed.has("refresh_token")).isFalse();
        assertThat(sandbox.bean(OAuthEngine.class).refreshGrants(google.id())).isEqualTo(1);
    }

    @Test
    void googleGivesARefreshTokenOnlyForOfflineAccess() throws Exception {
        Map<String, String> params =
                consent(googleAuthorizeUrl().replace("access_type=offline", "access_type=online"), "approve");
        JsonNode tokens = token(
                googleToken(),
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        params.get("code"),
                        "redirect_uri",
                        REDIRECT,
                        "client_id",
                        GOOGLE_CLIENT,
                        "client_secret",
                        GOOGLE_SECRET,
                        "code_verifier",
                        VERIFIER),
                200);
        assertThat(tokens.has("refresh_token")).isFalse();
    }

    @Test
    void aWrongPkceVerifierOrRedirectOrSecretIsRefused() throws Exception {
        Map<String, String> p1 = consent(googleAuthorizeUrl(), "approve");
        assertThat(token(
                                googleToken(),
                                Map.of(
                                        "grant_type",
                                        "authorization_code",
                                        "code",
                                        p1.get("code"),
                                        "redirect_uri",
                                        REDIRECT,
                                        "client_id",
                                        GOOGLE_CLIENT,
                                        "client_secret",
                                        GOOGLE_SECRET,
                                        "code_verifier",
                                        VERIFIER.replace('0', '1')),
                                400)
                        .get("error")
                        .asString())
                .isEqualTo("invalid_grant");

        Map<String, String> p2 = consent(microsoftAuthorizeUrl(), "approve");
        JsonNode wrongRedirect = token(
                msToken(),
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        p2.get("code"),
                        "redirect_uri",
                        "http://127.0.0.1:9/other",
                        "client_id",
                        MS_CLIENT,
                        "client_secret",
                        MS_SECRET,
                        "code_verifier",
                        VERIFIER),
                400);
        assertThat(wrongRedirect.get("error").asString()).isEqualTo("invalid_grant");
        assertThat(wrongRedirect.get("error_description").asString()).startsWith("AADSTS");
        assertThat(wrongRedirect.get("error_codes").isArray()).isTrue();

        Map<String, String> p3 = consent(microsoftAuthorizeUrl(), "approve");
        JsonNode badSecret = token(
                msToken(),
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        p3.get("code"),
                        "redirect_uri",
                        REDIRECT,
                        "client_id",
                        MS_CLIENT,
                        "client_secret",
                        "wrong",
                        "code_verifier",
                        VERIFIER),
                401);
        assertThat(badSecret.get("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void deniedConsentRedirectsWithAccessDenied() throws Exception {
        assertThat(consent(googleAuthorizeUrl(), "deny"))
                .containsEntry("error", "access_denied")
                .containsEntry("state", "st-1");
        Map<String, String> ms = consent(microsoftAuthorizeUrl(), "deny");
        assertThat(ms).containsEntry("error", "access_denied").containsEntry("state", "st-2");
        assertThat(ms.get("error_description")).startsWith("AADSTS65004");
    }

    @Test
    void anUnknownClientGetsAnErrorPageNotARedirect() throws Exception {
        HttpResponse<String> res = get(googleAuthorizeUrl().replace(GOOGLE_CLIENT, "someone-else"));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.headers().firstValue("Location")).isEmpty();
        assertThat(res.body()).contains("invalid_client");
    }

    @Test
    void microsoftRotatesRefreshTokensAndTheOldOneDiesAfterTheGrace() throws Exception {
        sandbox.bean(SandboxState.class).setMicrosoftRefreshGrace(java.time.Duration.ofMillis(300));
        Map<String, String> params = consent(microsoftAuthorizeUrl(), "approve");
        JsonNode first = token(
                msToken(),
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        params.get("code"),
                        "redirect_uri",
                        REDIRECT,
                        "client_id",
                        MS_CLIENT,
                        "client_secret",
                        MS_SECRET,
                        "code_verifier",
                        VERIFIER),
                200);
        String r1 = first.get("refresh_token").asString();

        JsonNode second = token(
                msToken(),
                Map.of(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        r1,
                        "client_id",
                        MS_CLIENT,
                        "client_secret",
                        MS_SECRET),
                200);
        String r2 = second.get("refresh_token").asString();
        assertThat(r2).isNotEqualTo(r1);
        // Within the grace the used token still works (a lost response must not strand the client)...
        assertThat(token(
                                msToken(),
                                Map.of(
                                        "grant_type",
                                        "refresh_token",
                                        "refresh_token",
                                        r1,
                                        "client_id",
                                        MS_CLIENT,
                                        "client_secret",
                                        MS_SECRET),
                                200)
                        .get("refresh_token")
                        .asString())
                .isNotIn(r1, r2);
        Thread.sleep(400);
        // ...after it, invalid_grant with an AADSTS code.
        JsonNode dead = token(
                msToken(),
                Map.of(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        r1,
                        "client_id",
                        MS_CLIENT,
                        "client_secret",
                        MS_SECRET),
                400);
        assertThat(dead.get("error").asString()).isEqualTo("invalid_grant");
        assertThat(dead.get("error_description").asString()).startsWith("AADSTS70008");
        assertThat(token(
                                msToken(),
                                Map.of(
                                        "grant_type",
                                        "refresh_token",
                                        "refresh_token",
                                        r2,
                                        "client_id",
                                        MS_CLIENT,
                                        "client_secret",
                                        MS_SECRET),
                                200)
                        .get("access_token")
                        .asString())
                .isNotBlank();
        assertThat(sandbox.bean(OAuthEngine.class).refreshGrants(microsoft.id()))
                .isEqualTo(3);
    }

    @Test
    void revokedTokensAnswerInvalidGrantAndUnauthorized() throws Exception {
        OAuthEngine engine = sandbox.bean(OAuthEngine.class);
        OAuthEngine.TokenGrant grant = engine.issueDirectly(google, "calendar");
        HttpResponse<String> revoke = http.send(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/control/accounts/" + google.id() + "/revoke"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoke.statusCode()).isEqualTo(200);
        assertThat(token(
                                googleToken(),
                                Map.of(
                                        "grant_type",
                                        "refresh_token",
                                        "refresh_token",
                                        grant.refreshToken(),
                                        "client_id",
                                        GOOGLE_CLIENT,
                                        "client_secret",
                                        GOOGLE_SECRET),
                                400)
                        .get("error")
                        .asString())
                .isEqualTo("invalid_grant");
        HttpResponse<String> userinfo = http.send(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/google/v1/userinfo"))
                        .header("Authorization", "Bearer " + grant.accessToken())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(userinfo.statusCode()).isEqualTo(401);
    }

    @Test
    void autoApproveRedirectsAtOnceToTheHintedAccount() throws Exception {
        SandboxState state = sandbox.bean(SandboxState.class);
        state.createAccount(Provider.GOOGLE, "zed@gmail.test", "Zed");
        state.setAutoApprove(true);
        HttpResponse<String> res = get(googleAuthorizeUrl() + "&login_hint=zed@gmail.test");
        assertThat(res.statusCode()).isEqualTo(302);
        String code = UriComponentsBuilder.fromUriString(
                        res.headers().firstValue("Location").orElseThrow())
                .build()
                .getQueryParams()
                .getFirst("code");
        JsonNode tokens = token(
                googleToken(),
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        code,
                        "redirect_uri",
                        REDIRECT,
                        "client_id",
                        GOOGLE_CLIENT,
                        "client_secret",
                        GOOGLE_SECRET,
                        "code_verifier",
                        VERIFIER),
                200);
        assertThat(engineAccount(tokens.get("access_token").asString())).isEqualTo("zed@gmail.test");
    }

    @Test
    void injectedFaultsHitTheTokenEndpointAndExpire() throws Exception {
        sandbox.bean(Faults.class)
                .add(new FaultRule(
                        null, Provider.MICROSOFT, "POST", "/oauth2/v2.0/token", FaultRule.Kind.ERROR, 503, 0, 2, 1));
        OAuthEngine.TokenGrant grant = sandbox.bean(OAuthEngine.class).issueDirectly(microsoft, "offline_access");
        Map<String, String> form = Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                grant.refreshToken(),
                "client_id",
                MS_CLIENT,
                "client_secret",
                MS_SECRET);
        HttpResponse<String> failed = postForm(msToken(), form);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).contains("2");
        assertThat(postForm(msToken(), form).statusCode()).isEqualTo(200);
    }

    private String engineAccount(String accessToken) {
        return sandbox.bean(OAuthEngine.class)
                .authenticate(Provider.GOOGLE, "Bearer " + accessToken)
                .orElseThrow()
                .account()
                .email();
    }
}
