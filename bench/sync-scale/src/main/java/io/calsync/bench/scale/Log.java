package io.calsync.bench.scale;

import java.io.PrintStream;

/** Progress goes to stderr; the report alone goes to stdout, so that it can be kept apart from the progress. */
final class Log {

    private static final PrintStream REPORT = System.out;

    private Log() {}

    static void say(String message) {
        System.err.println("bench: " + java.time.LocalTime.now().withNano(0) + " " + message);
        System.err.flush();
    }

    static void report(String line) {
        REPORT.println(line);
        REPORT.flush();
    }
}
