package io.calsync.sandbox.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.Calendar;
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
import java.nio.file.Path;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shared by the Google API tests: one in-process sandbox for the whole test JVM (starting Spring per class would
 * cost more than the tests), a fresh account per test, the official client pointed at the sandbox, and raw HTTP for
 * the control API.
 */
final class GoogleApiTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SandboxServer sandbox;

    private GoogleApiTestSupport() {}

    static synchronized SandboxServer sandbox() {
        if (sandbox == null) {
            sandbox = SandboxServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        }
        return sandbox;
    }

    static GoogleCalendarStore store() {
        return sandbox().bean(GoogleCalendarStore.class);
    }

    /** A Google account with a token and a client acting as it. */
    record User(Account account, String accessToken, Calendar client) {
        String email() {
            return account.email();
        }
    }

    static User newUser() {
        return newUser("Test User");
    }

    static User newUser(String displayName) {
        String email = "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Account account = sandbox().bean(SandboxState.class).createAccount(Provider.GOOGLE, email, displayName);
        String token = sandbox()
                .bean(OAuthEngine.class)
                .issueDirectly(account, "https://www.googleapis.com/auth/calendar")
                .accessToken();
        return new User(account, token, client(token));
    }

    /** The official client exactly as an application builds it, rooted at the sandbox. */
    static Calendar client(String accessToken) {
        return new Calendar.Builder(
                        new NetHttpTransport(),
                        GsonFactory.getDefaultInstance(),
                        request -> request.getHeaders().setAuthorization("Bearer " + accessToken))
                .setRootUrl(sandbox().baseUrl() + "/google/")
                .setServicePath("calendar/v3/")
                .setApplicationName("calsync-test")
                .build();
    }

    static ObjectNode json(String text) {
        return (ObjectNode) JSON.readTree(text);
    }

    /** A raw HTTP call to the sandbox; returns status and parsed body (null when empty). */
    record Raw(int status, JsonNode body) {}

    static Raw http(String method, String path, String bearer, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox().baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a client call that must fail; returns Google's error as the client parsed it. */
    static GoogleJsonResponseException googleError(ThrowableAssert.ThrowingCallable call) {
        GoogleJsonResponseException e = catchThrowableOfType(GoogleJsonResponseException.class, call);
        assertThat(e).as("the call should fail with a Google JSON error").isNotNull();
        return e;
    }

    static String reason(GoogleJsonResponseException e) {
        assertThat(e.getDetails()).as("Google error details").isNotNull();
        return e.getDetails().getErrors().get(0).getReason();
    }

    /**
     * The shared corpus of real provider payloads: CI clones the repository next to a {@code shared/} folder, so walk
     * up from the working directory until a sibling {@code shared/corpus} exists.
     */
    static Path corpus() {
        return Corpus.root();
    }
}
