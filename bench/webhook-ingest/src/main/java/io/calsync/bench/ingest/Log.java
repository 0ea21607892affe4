package io.calsync.bench.ingest;

/** Progress goes to stderr; the report alone goes to stdout. */
final class Log {
    private Log() {}

    static void say(String message) {
        System.err.println("bench: " + java.time.LocalTime.now().withNano(0) + " " + message);
        System.err.flush();
    }
}
