package io.calsync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real CalDAV server for tests: Radicale from Debian's packages ({@code apt-get install radicale}; {@code .ci/run}
 * installs it when missing), one per JVM, on loopback and a free port, with a temporary storage folder and a plain
 * htpasswd file that {@link #newAccount} appends to (Radicale reads it at every login, so accounts can be added while
 * it runs; each test class takes its own). {@link #shared()} skips the calling test, with the reason, only where
 * Radicale cannot be found ({@code RADICALE} may name its executable). Stopped when the JVM exits.
 *
 * <p>The helpers change a calendar directly at the server, as another CalDAV client (a phone) would: the tests then
 * see those changes arrive through our sync.
 */
public final class Radicale {

    private static Radicale shared;
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    private final Process process;
    private final Path folder;
    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Radicale(Process process, Path folder, int port) {
        this.process = process;
        this.folder = folder;
        this.port = port;
    }

    /** An account of the server: user name and password. */
    public record Account(String username, String password) {}

    /** Where Radicale is on this machine, or null. */
    public static Path executable() {
        String configured = System.getenv("RADICALE");
        for (String candidate :
                configured == null ? List.of("/usr/bin/radicale", "/usr/local/bin/radicale") : List.of(configured)) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The JVM's server, started on first use; the calling test is skipped (with why) when there is no Radicale. */
    public static synchronized Radicale shared() {
        Path exe = executable();
        Assumptions.assumeTrue(
                exe != null,
                "Radicale is not installed (apt-get install radicale; .ci/run installs it): CalDAV tests skipped");
        if (shared == null || !shared.process.isAlive()) {
            shared = start(exe);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "radicale-stop"));
        }
        return shared;
    }

    /** Starts a server of its own (a test that stops it must not take the shared one down). */
    public static Radicale start(Path exe) {
        try {
            Path folder = Files.createTempDirectory("calsync-radicale");
            Files.writeString(folder.resolve("users"), "");
            int port = freePort();
            String config = """
                    [server]
                    hosts = 127.0.0.1:%d
                    max_connections = 32
                    timeout = 30
                    [auth]
                    type = htpasswd
                    htpasswd_filename = %s
                    htpasswd_encryption = plain
                    delay = 0
                    [storage]
                    filesystem_folder = %s
                    [rights]
                    type = owner_only
                    [web]
                    type = none
                    [logging]
                    level = warning
                    """.formatted(port, folder.resolve("users"), folder.resolve("collections"));
            Files.writeString(folder.resolve("config"), config);
            Process p = new ProcessBuilder(
                            exe.toString(), "--config", folder.resolve("config").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve("radicale.log").toFile())
                    .start();
            Radicale r = new Radicale(p, folder, port);
            r.awaitListening();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Radicale exited at start: " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                sleep(100);
            }
        }
        throw new IllegalStateException("Radicale did not listen within 30 s: " + log());
    }

    /** The server's root URL, {@code http://127.0.0.1:<port>/}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    public int port() {
        return port;
    }

    /** A new account with a random password. */
    public synchronized Account newAccount() {
        Account a = new Account(
                "user" + ACCOUNTS.incrementAndGet() + "-"
                        + UUID.randomUUID().toString().substring(0, 8),
                UUID.randomUUID().toString());
        try {
            Files.writeString(
                    folder.resolve("users"),
                    a.username() + ":" + a.password() + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return a;
    }

    /** The account's password changed at the server (as when a user revokes an app password): the new account. */
    public synchronized Account changePassword(Account a) {
        Account changed = new Account(a.username(), UUID.randomUUID().toString());
        try {
            Path users = folder.resolve("users");
            List<String> lines = Files.readAllLines(users, StandardCharsets.UTF_8).stream()
                    .map(l -> l.startsWith(a.username() + ":") ? changed.username() + ":" + changed.password() : l)
                    .toList();
            Files.write(users, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return changed;
    }

    /** Makes a calendar collection {@code /<user>/<slug>/} that holds events; answers its URL. */
    public String makeCalendar(Account a, String slug, String displayName, String color) {
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:mkcol xmlns:d=\"DAV:\""
                + " xmlns:c=\"urn:ietf:params:xml:ns:caldav\" xmlns:a=\"http://apple.com/ns/ical/\"><d:set><d:prop>"
                + "<d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>" + displayName
                + "</d:displayname>" + (color == null ? "" : "<a:calendar-color>" + color + "</a:calendar-color>")
                + "<c:supported-calendar-component-set><c:comp name=\"VEVENT\"/></c:supported-calendar-component-set>"
                + "</d:prop></d:set></d:mkcol>";
        String url = url() + a.username() + "/" + slug + "/";
        expect(send(a, "MKCOL", url, body, "application/xml", null), 201);
        return url;
    }

    /** Makes a collection of to-dos only (a calendar discovery must not offer). */
    public String makeTaskList(Account a, String slug) {
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:mkcol xmlns:d=\"DAV:\""
                + " xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:set><d:prop><d:resourcetype><d:collection/>"
                + "<c:calendar/></d:resourcetype><d:displayname>Tasks</d:displayname>"
                + "<c:supported-calendar-component-set><c:comp name=\"VTODO\"/></c:supported-calendar-component-set>"
                + "</d:prop></d:set></d:mkcol>";
        String url = url() + a.username() + "/" + slug + "/";
        expect(send(a, "MKCOL", url, body, "application/xml", null), 201);
        return url;
    }

    /** PUTs a calendar object as another client would; answers its etag. */
    public String put(Account a, String url, String ics) {
        HttpResponse<String> r = send(a, "PUT", url, ics, "text/calendar; charset=utf-8", null);
        expect(r, 201, 204);
        return r.headers().firstValue("ETag").orElse(null);
    }

    /** The stored object, or null when there is none. */
    public String get(Account a, String url) {
        HttpResponse<String> r = send(a, "GET", url, null, null, null);
        if (r.statusCode() == 404) {
            return null;
        }
        expect(r, 200);
        return r.body();
    }

    public String etag(Account a, String url) {
        HttpResponse<String> r = send(a, "GET", url, null, null, null);
        return r.statusCode() == 200 ? r.headers().firstValue("ETag").orElse(null) : null;
    }

    public void delete(Account a, String url) {
        expect(send(a, "DELETE", url, null, null, null), 200, 204, 404);
    }

    /** The hrefs of a calendar's objects. */
    public List<String> members(Account a, String calendarUrl) {
        HttpResponse<String> r = send(
                a,
                "PROPFIND",
                calendarUrl,
                "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\"><d:prop><d:getetag/></d:prop></d:propfind>",
                "application/xml",
                "1");
        expect(r, 207);
        return java.util.regex.Pattern.compile("<href>([^<]+\\.ics)</href>")
                .matcher(r.body())
                .results()
                .map(m -> m.group(1))
                .toList();
    }

    private HttpResponse<String> send(
            Account a, String method, String url, String body, String contentType, String depth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (a.username() + ":" + a.password()).getBytes(StandardCharsets.UTF_8)))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (depth != null) {
            b.header("Depth", depth);
        }
        try {
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // Radicale's HTTP/1.0 server closes connections the JDK client may have pooled: once more, fresh.
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> r, int... statuses) {
        for (int s : statuses) {
            if (r.statusCode() == s) {
                return;
            }
        }
        throw new IllegalStateException("Radicale answered " + r.statusCode() + " to "
                + r.request().method() + " " + r.uri() + ": " + r.body());
    }

    private String log() {
        try {
            return Files.readString(folder.resolve("radicale.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public void stop() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
