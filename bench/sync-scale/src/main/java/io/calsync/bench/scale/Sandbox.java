package io.calsync.bench.scale;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's control API (docs/sandbox.md), over HTTP: the sandbox runs as its own process, so its store cannot be
 * written directly. Events created here behave as events the user made at Google: the sync reads them only through
 * Calendar v3.
 */
final class Sandbox {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Account(String id, String email) {}

    record Tokens(String accessToken, String refreshToken, long expiresInSeconds) {
        /** Never the tokens themselves: this record may end up in a log line or an exception. */
        @Override
        public String toString() {
            return "Tokens[expiresIn=" + expiresInSeconds + "s]";
        }
    }

    private final String baseUrl;
    private final HttpClient http;

    Sandbox(String baseUrl) {
        this.baseUrl = baseUrl;
        // HTTP/1.1 keep-alive connections, one per concurrent caller: what the seeding's parallel requests need.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * A Google account. When the answer is lost (see {@link LostAnswer}) the account may exist already: it is looked up
     * before the call is repeated, so that no email gets two accounts.
     */
    Account createAccount(String email, String displayName) {
        ObjectNode body = JSON.createObjectNode()
                .put("provider", "GOOGLE")
                .put("email", email)
                .put("displayName", displayName);
        for (int attempt = 1; ; attempt++) {
            try {
                JsonNode a = ok("POST", "/control/accounts", once("POST", "/control/accounts", body));
                return new Account(a.get("id").asString(), a.get("email").asString());
            } catch (LostAnswer e) {
                for (JsonNode a : call("GET", "/control/accounts", null)) {
                    if (email.equalsIgnoreCase(a.path("email").asString(""))) {
                        return new Account(
                                a.get("id").asString(), a.get("email").asString());
                    }
                }
                if (attempt == ATTEMPTS) {
                    throw failure("POST", "/control/accounts", e.getCause());
                }
            }
        }
    }

    Tokens tokens(String accountId) {
        JsonNode t = call("POST", "/control/accounts/" + enc(accountId) + "/tokens", null);
        return new Tokens(
                t.get("access_token").asString(),
                t.get("refresh_token").asString(),
                t.get("expires_in").asLong());
    }

    /**
     * {@code events.insert} as the user at Google, with the event's own {@code id} (Google lets a client choose it):
     * when an answer is lost and the call repeated, a 409 "duplicate" says the first call went through, so the
     * calendar never gets an event twice.
     */
    void insert(String calendarId, String id, ObjectNode event) {
        String path = "/control/google/calendars/" + enc(calendarId) + "/events";
        ObjectNode body = event.deepCopy().put("id", id);
        for (int attempt = 1; ; attempt++) {
            try {
                Response r = once("POST", path, body);
                if (r.status() == 409 && attempt > 1) {
                    return;
                }
                ok("POST", path, r);
                return;
            } catch (LostAnswer e) {
                if (attempt == ATTEMPTS) {
                    throw failure("POST", path, e.getCause());
                }
            }
        }
    }

    /** {@code events.patch} as the user at Google (a new etag, sequence and position in the change log). */
    void patch(String calendarId, String eventId, ObjectNode patch) {
        call("PATCH", "/control/google/calendars/" + enc(calendarId) + "/events/" + enc(eventId), patch);
    }

    private static final int ATTEMPTS = 3;

    private record Response(int status, byte[] body) {}

    /** The connection broke before an answer came (for example the server closed a kept-alive connection). */
    private static final class LostAnswer extends Exception {
        LostAnswer(IOException cause) {
            super(cause);
        }
    }

    /** A call whose repetition does no harm (reads, tokens, a patch to the same value). */
    private JsonNode call(String method, String path, ObjectNode body) {
        for (int attempt = 1; ; attempt++) {
            try {
                return ok(method, path, once(method, path, body));
            } catch (LostAnswer e) {
                if (attempt == ATTEMPTS) {
                    throw failure(method, path, e.getCause());
                }
            }
        }
    }

    private static JsonNode ok(String method, String path, Response r) {
        if (r.status() / 100 != 2) {
            // The sandbox's error bodies name the problem (Google's error format); they hold no tokens.
            throw new SyncScaleBench.BenchFailure("sandbox " + method + " " + path + " answered " + r.status() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    private static SyncScaleBench.BenchFailure failure(String method, String path, Throwable cause) {
        return new SyncScaleBench.BenchFailure(
                "sandbox " + method + " " + path + " failed " + ATTEMPTS + " times: " + cause);
    }

    private Response once(String method, String path, ObjectNode body) throws LostAnswer {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new LostAnswer(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncScaleBench.BenchFailure("interrupted");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
