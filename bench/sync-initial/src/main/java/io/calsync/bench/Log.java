package io.calsync.bench;

import java.io.PrintStream;

/**
 * Progress goes to stderr; the report alone goes to stdout. Spring Boot's and the engine's log lines go to the
 * console appender, which writes to whatever {@code System.out} is at the time: {@link #takeStdout()} keeps the real
 * stdout for the report and points {@code System.out} at stderr, so a stray log line never lands in the report.
 */
final class Log {

    private static PrintStream report = System.out;

    private Log() {}

    static void takeStdout() {
        report = System.out;
        System.setOut(System.err);
    }

    static void say(String message) {
        System.err.println("bench: " + java.time.LocalTime.now().withNano(0) + " " + message);
        System.err.flush();
    }

    static void report(String line) {
        report.println(line);
        report.flush();
    }
}
