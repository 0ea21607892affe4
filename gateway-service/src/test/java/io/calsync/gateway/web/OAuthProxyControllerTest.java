package io.calsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.gateway.application.ApiException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.client.RestClient;

/** The gateway's proxy without oauth-service behind it, and with a provider the contract does not name. */
class OAuthProxyControllerTest {

    @Test
    void aDownOAuthServiceIsServiceUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OAuthProxyController proxy = new OAuthProxyController(RestClient.builder(), "http://127.0.0.1:" + port);
        assertThatThrownBy(() -> proxy.login("google", new MockHttpServletRequest()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.code()).isEqualTo("SERVICE_UNAVAILABLE");
                });
    }

    @Test
    void anUnknownProviderIsNotFound() {
        OAuthProxyController proxy = new OAuthProxyController(RestClient.builder(), "http://127.0.0.1:1");
        assertThatThrownBy(() -> proxy.login("yahoo", new MockHttpServletRequest()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));
        assertThatThrownBy(() -> proxy.select("apple", null, new MockHttpServletRequest()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));
    }
}
