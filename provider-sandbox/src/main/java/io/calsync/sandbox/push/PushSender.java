package io.calsync.sandbox.push;

import io.calsync.sandbox.core.Ids;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends push notifications the way the providers do: an HTTP POST to the subscriber's address, retried a few times
 * with backoff when the receiver is unreachable or answers 5xx (both providers retry; they give up much later than
 * this). Notification faults drop or duplicate deliveries. Every delivery is recorded for tests.
 */
@Component
public class PushSender implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PushSender.class);
    static final int MAX_ATTEMPTS = 4;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<PushDelivery> deliveries = new CopyOnWriteArrayList<>();
    private final Faults faults;

    public PushSender(Faults faults, SandboxState state) {
        this.faults = faults;
        state.onReset(s -> deliveries.clear());
    }

    /** Sends in the background; the caller (a change at the provider) never waits for the receiver. */
    public void send(Provider provider, String url, Map<String, String> headers, String jsonBody) {
        Optional<FaultRule.Kind> fault = faults.matchNotification(provider);
        if (fault.isPresent() && fault.get() == FaultRule.Kind.DROP_NOTIFICATIONS) {
            deliveries.add(new PushDelivery(
                    Ids.token(6), provider, url, headers, jsonBody, -1, 0, "dropped by fault", Instant.now()));
            return;
        }
        int copies = fault.isPresent() && fault.get() == FaultRule.Kind.DUPLICATE_NOTIFICATIONS ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            executor.execute(() -> deliver(provider, url, headers, jsonBody));
        }
    }

    private void deliver(Provider provider, String url, Map<String, String> headers, String body) {
        int status = 0;
        String error = null;
        int attempt = 0;
        while (attempt < MAX_ATTEMPTS) {
            attempt++;
            try {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .POST(
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
                headers.forEach(req::header);
                if (body != null) {
                    req.header("Content-Type", "application/json; charset=utf-8");
                }
                HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                status = res.statusCode();
                error = null;
                if (status < 500 && status != 429) {
                    break;
                }
            } catch (java.io.IOException e) {
                status = 0;
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
                break;
            }
            sleep(250L << attempt);
        }
        deliveries.add(
                new PushDelivery(Ids.token(6), provider, url, headers, body, status, attempt, error, Instant.now()));
        log.info("push delivered provider={} url={} status={} attempts={}", provider, url, status, attempt);
    }

    /** Result of a Graph-style validation handshake. */
    public record Validation(boolean ok, int status, String reason) {}

    /**
     * Graph's subscription validation: POST {@code url?validationToken=...} and expect, within 10 seconds, 200 with
     * a {@code text/plain} body equal to the token.
     */
    public Validation validate(String url, String token) {
        String target = url + (url.contains("?") ? "&" : "?") + "validationToken="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> res = http.send(
                    HttpRequest.newBuilder(URI.create(target))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "text/plain; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String type = res.headers().firstValue("Content-Type").orElse("");
            if (res.statusCode() != 200) {
                return new Validation(false, res.statusCode(), "the endpoint answered " + res.statusCode());
            }
            if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain")) {
                return new Validation(false, 200, "the response was not text/plain but " + type);
            }
            if (!token.equals(res.body())) {
                return new Validation(false, 200, "the response did not echo the validation token");
            }
            return new Validation(true, 200, null);
        } catch (java.net.http.HttpTimeoutException e) {
            return new Validation(false, 0, "the endpoint did not answer within 10 seconds");
        } catch (java.io.IOException e) {
            return new Validation(false, 0, "the endpoint could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Validation(false, 0, "interrupted");
        }
    }

    public List<PushDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
