package io.calsync.providers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.ErrorObject;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.oauth.ProviderTokenException.TokenRevokedException;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderTokenClientTest {

    @Test
    void invalidGrantAndAadstsRefusalsMeanRevokedWithASafeReason() {
        ProviderTokenException google = ProviderTokenClient.map(
                CalendarProvider.GOOGLE,
                new ErrorObject("invalid_grant", "Token has been expired or revoked. token=1//secret"),
                400);
        assertThat(google).isInstanceOf(TokenRevokedException.class);
        assertThat(google.getMessage()).contains("invalid_grant").doesNotContain("secret");

        ProviderTokenException microsoft = ProviderTokenClient.map(
                CalendarProvider.MICROSOFT,
                new ErrorObject("invalid_grant", "AADSTS70008: The refresh token has expired due to inactivity. xyz"),
                400);
        assertThat(microsoft).isInstanceOf(TokenRevokedException.class);
        assertThat(microsoft.getMessage()).contains("AADSTS70008").doesNotContain("xyz");
    }

    @Test
    void serverErrorsAreTransientAndClientErrorsPermanent() {
        ProviderTokenException down =
                ProviderTokenClient.map(CalendarProvider.GOOGLE, new ErrorObject("server_error"), 503);
        assertThat(down).isNotInstanceOf(TokenRevokedException.class);
        assertThat(down.isTransient()).isTrue();

        ProviderTokenException client = ProviderTokenClient.map(
                CalendarProvider.MICROSOFT,
                new ErrorObject("invalid_client", "AADSTS7000215: Invalid client secret provided."),
                401);
        assertThat(client).isNotInstanceOf(TokenRevokedException.class);
        assertThat(client.isTransient()).isFalse();
        assertThat(client.getMessage()).contains("invalid_client");
    }

    @Test
    void theAuthorizationUrlHasPkceS256AndOfflineAccess() {
        ProviderEndpoints endpoints = ProviderEndpoints.from(env(Map.of(
                "GOOGLE_CLIENT_ID",
                "gid",
                "GOOGLE_CLIENT_SECRET",
                "gs",
                "MICROSOFT_CLIENT_ID",
                "mid",
                "MICROSOFT_CLIENT_SECRET",
                "ms")));
        ProviderTokenClient client = new ProviderTokenClient(endpoints, Clock.systemUTC());
        String verifier = ProviderTokenClient.newCodeVerifier();
        URI google = client.authorizationUrl(CalendarProvider.GOOGLE, "st", verifier);
        assertThat(google.toString())
                .startsWith("https://accounts.google.com/o/oauth2/v2/auth?")
                .contains("code_challenge_method=S256", "access_type=offline", "prompt=consent", "state=st")
                .doesNotContain(verifier)
                .contains("calendar");
        URI microsoft = client.authorizationUrl(CalendarProvider.MICROSOFT, "st", verifier);
        assertThat(microsoft.toString())
                .startsWith("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?")
                .contains("offline_access", "Calendars.ReadWrite", "User.Read", "code_challenge_method=S256");
    }

    @Test
    void providerEndpointsRefuseHttpUnlessLoopback() {
        assertThat(ProviderEndpoints.from(env(Map.of("GOOGLE_TOKEN_URI", "http://127.0.0.1:9/token")))
                        .google()
                        .tokenUri())
                .hasHost("127.0.0.1");
        assertThat(ProviderEndpoints.from(env(Map.of("MICROSOFT_GRAPH_BASE_URL", "http://localhost:9/graph/v1.0/")))
                        .microsoftGraphBaseUrl())
                .isEqualTo("http://localhost:9/graph/v1.0");
        assertThatThrownBy(() -> ProviderEndpoints.from(env(Map.of("GOOGLE_TOKEN_URI", "http://example.com/token"))))
                .hasMessageContaining("GOOGLE_TOKEN_URI");
        assertThatThrownBy(() -> ProviderEndpoints.from(env(Map.of("MICROSOFT_AUTHORITY", "http://10.0.0.1/t"))))
                .hasMessageContaining("MICROSOFT_AUTHORITY");
        assertThat(ProviderEndpoints.from(env(Map.of("MICROSOFT_TENANT_ID", "contoso")))
                        .microsoft()
                        .tokenUri()
                        .toString())
                .isEqualTo("https://login.microsoftonline.com/contoso/oauth2/v2.0/token");
    }

    private static java.util.function.Function<String, String> env(Map<String, String> values) {
        Map<String, String> copy = new HashMap<>(values);
        return copy::get;
    }
}
