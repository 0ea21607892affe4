package io.calsync.sandbox.microsoft;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/**
 * A tiny webhook endpoint on 127.0.0.1: answers Graph's validation request as told (echo, 500, or a wrong echo) and
 * keeps every notification body it receives.
 */
final class NotificationReceiver implements AutoCloseable {

    enum Mode {
        ECHO,
        FAIL_500,
        WRONG_ECHO
    }

    private final HttpServer server;
    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    private final List<String> validationTokens = new CopyOnWriteArrayList<>();
    private volatile Mode mode;

    NotificationReceiver(Mode mode) {
        this.mode = mode;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
    }

    List<JsonNode> notifications() {
        return List.copyOf(notifications);
    }

    List<String> validationTokens() {
        return List.copyOf(validationTokens);
    }

    private void handle(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (query != null && query.startsWith("validationToken=")) {
            String token = URLDecoder.decode(query.substring("validationToken=".length()), StandardCharsets.UTF_8);
            validationTokens.add(token);
            switch (mode) {
                case ECHO -> reply(ex, 200, token);
                case FAIL_500 -> reply(ex, 500, "boom");
                case WRONG_ECHO -> reply(ex, 200, "not-the-token");
            }
            return;
        }
        notifications.add(GraphTestSupport.JSON.readTree(new String(body, StandardCharsets.UTF_8)));
        reply(ex, 202, "");
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
