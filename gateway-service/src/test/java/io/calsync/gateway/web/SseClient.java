package io.calsync.gateway.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server-sent-events client as a browser's EventSource reads a stream: lines, events separated by blank lines,
 * {@code id:}, {@code event:} and {@code data:} fields, comments ignored. Events arrive in a queue the test reads with
 * a deadline. Closing it drops the connection, as a closed tab does.
 */
final class SseClient implements AutoCloseable {

    record Event(String id, String name, String data) {}

    final int status;
    final String contentType;
    final String body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final Thread reader;
    private volatile Stream<String> lines;

    private SseClient(HttpClient http, HttpRequest request) throws Exception {
        this.response = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> r = response.get(10, TimeUnit.SECONDS);
        this.status = r.statusCode();
        this.contentType = r.headers().firstValue("Content-Type").orElse("");
        if (status != 200) {
            this.body = String.join("\n", r.body().toList());
            this.reader = null;
            return;
        }
        this.body = null;
        this.lines = r.body();
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static SseClient open(HttpClient http, String url, String token, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(http, b.GET().build());
    }

    private void read() {
        String id = null;
        String name = null;
        List<String> data = new ArrayList<>();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() || name != null) {
                        events.add(new Event(id, name == null ? "message" : name, String.join("\n", data)));
                    }
                    id = null;
                    name = null;
                    data = new ArrayList<>();
                } else if (line.startsWith(":")) {
                    // a comment: the server's keep-alive
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).strip());
                }
            }
        } catch (RuntimeException closed) {
            // the connection was closed
        }
    }

    /** The next event within the deadline, or null. */
    Event next(Duration within) throws InterruptedException {
        return events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event of that name within the deadline (others are skipped), or null. */
    Event next(String name, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Event e = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (e != null && e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    @Override
    public void close() {
        Stream<String> l = lines;
        if (l != null) {
            l.close();
        }
        response.cancel(true);
        if (reader != null) {
            reader.interrupt();
        }
    }
}
