package io.calsync.providers.google;

import com.google.api.client.googleapis.services.json.AbstractGoogleJsonClientRequest;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.Calendar;
import io.calsync.providers.port.ProviderException;
import java.io.IOException;
import java.time.Duration;

/**
 * The official Calendar v3 client, one per adapter, all on one HTTP transport (its connection pool is shared and it
 * is thread-safe). The client carries no credentials: every call gets the token {@code ProviderCalls} hands it, so
 * that a refreshed token is used at once and one client serves every connection.
 *
 * <p>The transport is the client library's Apache one ({@code google-http-client-apache-v2}, which
 * {@code google-api-client} brings along) rather than {@code NetHttpTransport}: {@code HttpURLConnection} cannot send
 * {@code PATCH}, so the client would tunnel {@code events.patch} as a {@code POST} with
 * {@code X-HTTP-Method-Override}. Google honours that header, but a proxy or a stand-in for Google (the sandbox) need
 * not; a real {@code PATCH} works everywhere. The library's default Apache client follows no redirects and retries
 * nothing itself, which is what we want: retries are {@code ProviderCalls}' business.
 */
final class GoogleClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** One pool for the process; the Apache transport is thread-safe. */
    private static final HttpTransport TRANSPORT = new ApacheHttpTransport();

    private GoogleClients() {}

    /** A client rooted at {@code rootUrl} (GOOGLE_API_BASE_URL, with a trailing slash). */
    static Calendar calendar(String rootUrl) {
        return new Calendar.Builder(TRANSPORT, GsonFactory.getDefaultInstance(), request -> {
                    request.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
                    request.setReadTimeout((int) READ_TIMEOUT.toMillis());
                    // Retries are ProviderCalls' business (one policy, counted and logged); the client must not
                    // add its own on top.
                    request.setNumberOfRetries(0);
                })
                .setRootUrl(rootUrl)
                .setServicePath(Calendar.DEFAULT_SERVICE_PATH)
                .setApplicationName("calsync")
                .build();
    }

    /** A request that answers a model object, run with {@code token}; failures come back classified. */
    static <T> T execute(
            AbstractGoogleJsonClientRequest<T> request,
            String token,
            String operation,
            GoogleErrors.Call call,
            String ifMatch) {
        request.getRequestHeaders().setAuthorization("Bearer " + token);
        if (ifMatch != null && !ifMatch.isBlank()) {
            request.getRequestHeaders().setIfMatch(ifMatch);
        }
        try {
            return request.execute();
        } catch (IOException e) {
            throw GoogleErrors.translate(operation, call, e);
        } catch (IllegalArgumentException e) {
            // The client validates parameters before sending; nothing was sent, nothing will get better.
            throw new ProviderException(
                    ProviderException.Kind.PERMANENT,
                    0,
                    "invalidRequest",
                    "Google " + operation + " not sent: " + e.getClass().getSimpleName());
        }
    }
}
