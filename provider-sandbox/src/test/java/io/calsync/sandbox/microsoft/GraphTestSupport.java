package io.calsync.sandbox.microsoft;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import io.calsync.sandbox.SandboxServer;
import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import io.calsync.sandbox.oauth.OAuthEngine;
import io.calsync.testsupport.Corpus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shared by the Graph tests: one in-process sandbox for the whole test JVM, a fresh Microsoft account per test with
 * the official Graph SDK pointed at the sandbox, and raw HTTP for the control API and for looking at JSON as sent.
 */
final class GraphTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SandboxServer sandbox;

    private GraphTestSupport() {}

    static synchronized SandboxServer sandbox() {
        if (sandbox == null) {
            sandbox = SandboxServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        }
        return sandbox;
    }

    static MicrosoftStore store() {
        return sandbox().bean(MicrosoftStore.class);
    }

    /** A Microsoft account, a token for it and an SDK client acting as it. */
    record User(Account account, String token, GraphServiceClient graph) {
        String id() {
            return account.id();
        }
    }

    static User newUser() {
        String name = "user" + UUID.randomUUID().toString().substring(0, 8);
        Account account = sandbox()
                .bean(SandboxState.class)
                .createAccount(Provider.MICROSOFT, name + "@contoso.test", "Megan " + name);
        String token = sandbox()
                .bean(OAuthEngine.class)
                .issueDirectly(account, "offline_access Calendars.ReadWrite User.Read")
                .accessToken();
        return new User(account, token, client(token));
    }

    /** The official SDK with a fixed bearer token and the sandbox as its base URL. */
    static GraphServiceClient client(String token) {
        var auth = new BaseBearerTokenAuthenticationProvider(new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return token;
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator("127.0.0.1");
            }
        });
        GraphServiceClient graph = new GraphServiceClient(auth);
        graph.getRequestAdapter().setBaseUrl(sandbox().baseUrl() + "/graph/v1.0");
        return graph;
    }

    static ObjectNode obj(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** An HTTP response with its body as JSON (null when empty). */
    record Response(int status, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static Response call(String method, String pathOrUrl, String token, String body, String... headers) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : sandbox().baseUrl() + pathOrUrl;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r, r.body().isBlank() ? null : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A control API call. */
    static Response control(String method, String path, String body) {
        return call(method, "/control/microsoft" + path, null, body);
    }

    /** A Graph event body in Graph's JSON. */
    static String event(String subject, String start, String end, String timeZone) {
        return """
                {"subject":"%s","start":{"dateTime":"%s","timeZone":"%s"},"end":{"dateTime":"%s","timeZone":"%s"}}""".formatted(subject, start, timeZone, end, timeZone);
    }

    /**
     * The corpus of real Graph payloads: the first directory up from the working directory whose sibling
     * {@code shared/corpus} exists.
     */
    static Path corpus() {
        return Corpus.root();
    }

    static JsonNode corpus(String relative) {
        try {
            return JSON.readTree(Files.readString(corpus().resolve(relative)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
