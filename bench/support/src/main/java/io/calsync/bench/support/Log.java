package io.calsync.bench.support;

import java.io.PrintStream;

/**
 * Progress goes to stderr; the report alone goes to stdout. A bench that runs Spring Boot in its own JVM calls
 * {@link #takeStdout()} first: the console appender writes to whatever {@code System.out} is at the time, so the real
 * stdout is kept for the report and {@code System.out} points at stderr, and a stray log line never lands in the
 * report.
 */
public final class Log {

    private static PrintStream report = System.out;

    private Log() {}

    public static void takeStdout() {
        report = System.out;
        System.setOut(System.err);
    }

    public static void say(String message) {
        System.err.println("bench: " + java.time.LocalTime.now().withNano(0) + " " + message);
        System.err.flush();
    }

    public static void report(String line) {
        report.println(line);
        report.flush();
    }
}
