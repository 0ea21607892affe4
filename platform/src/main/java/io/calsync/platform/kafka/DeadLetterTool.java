package io.calsync.platform.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.calsync.platform.kafka.DeadLetters.DeadLetter;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's command for dead-letter topics, in every service jar (docs/runbook.md, "Replaying a dead-letter
 * topic"):
 *
 * <pre>
 * java -cp app.jar -Dloader.main=io.calsync.platform.kafka.DeadLetterTool \
 *     org.springframework.boot.loader.launch.PropertiesLauncher list calendar.event-commands-dlt
 * ... replay calendar.event-commands-dlt --at 3:17,3:18     (or --reason "Timeout", or --all) [--dry-run]
 * </pre>
 *
 * The broker comes from {@code --bootstrap-servers}, else {@code SPRING_KAFKA_BOOTSTRAP_SERVERS} or
 * {@code KAFKA_BOOTSTRAP_SERVERS} as the services read it. Exit status 0 done, 64 wrong usage, 1 failed.
 */
public final class DeadLetterTool {

    static final int USAGE = 64;
    static final String HELP = """
            usage: dlt list <topic>-dlt
                   dlt replay <topic>-dlt (--all | --reason <text> | --at <partition:offset>[,...]) [--dry-run]
            options: --bootstrap-servers <host:port> (else SPRING_KAFKA_BOOTSTRAP_SERVERS or KAFKA_BOOTSTRAP_SERVERS)
            """;

    private DeadLetterTool() {}

    public static void main(String[] args) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN); // the client's INFO lines are noise here
        }
        System.exit(run(args, System.out, System.getenv()));
    }

    static int run(String[] args, PrintStream out, Map<String, String> env) {
        List<String> a = Arrays.asList(args);
        String bootstrap = option(a, "--bootstrap-servers");
        if (bootstrap == null) {
            bootstrap = env.getOrDefault("SPRING_KAFKA_BOOTSTRAP_SERVERS", env.get("KAFKA_BOOTSTRAP_SERVERS"));
        }
        List<String> positional = positional(a);
        if (bootstrap == null || positional.size() != 2) {
            out.print(HELP);
            return USAGE;
        }
        DeadLetters dlt = new DeadLetters(bootstrap);
        String topic = positional.get(1);
        try {
            switch (positional.getFirst()) {
                case "list" -> {
                    List<DeadLetter> letters = dlt.list(topic);
                    for (DeadLetter l : letters) {
                        out.printf(
                                "%s\t%s\tkey=%s\ttype=%s\teventId=%s\tfrom=%s\t%s%n",
                                l.position(),
                                l.timestamp(),
                                l.key(),
                                l.type(),
                                l.eventId(),
                                l.originalTopic(),
                                l.reason());
                    }
                    out.printf("%d dead letter(s) in %s%n", letters.size(), topic);
                    DeadLetters.byReason(letters)
                            .forEach((reason, group) -> out.printf("  %6d  %s%n", group.size(), reason));
                    return 0;
                }
                case "replay" -> {
                    Predicate<DeadLetter> chosen = selection(a);
                    if (chosen == null) {
                        out.print(HELP);
                        return USAGE;
                    }
                    if (a.contains("--dry-run")) {
                        List<DeadLetter> would =
                                dlt.list(topic).stream().filter(chosen).toList();
                        would.forEach(l -> out.printf("would replay %s to %s%n", l.position(), l.originalTopic()));
                        out.printf("%d dead letter(s) would be replayed (dry run)%n", would.size());
                        return 0;
                    }
                    int replayed = dlt.replay(topic, chosen);
                    out.printf("%d dead letter(s) replayed from %s%n", replayed, topic);
                    return 0;
                }
                default -> {
                    out.print(HELP);
                    return USAGE;
                }
            }
        } catch (IllegalArgumentException e) {
            out.println("dlt: " + e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            out.println("dlt: failed: " + e.getMessage());
            return 1;
        }
    }

    /** What {@code replay} takes: every record, those whose reason contains a text, or named positions. */
    static Predicate<DeadLetter> selection(List<String> a) {
        if (a.contains("--all")) {
            return l -> true;
        }
        String reason = option(a, "--reason");
        if (reason != null) {
            return l -> l.reason().contains(reason);
        }
        String at = option(a, "--at");
        if (at != null) {
            Set<String> positions = new HashSet<>(Arrays.asList(at.split(",")));
            return l -> positions.contains(l.position());
        }
        return null;
    }

    private static String option(List<String> a, String name) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : null;
    }

    private static List<String> positional(List<String> a) {
        List<String> withValues = List.of("--bootstrap-servers", "--reason", "--at");
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (withValues.contains(a.get(i))) {
                i++;
            } else if (!a.get(i).startsWith("--")) {
                out.add(a.get(i));
            }
        }
        return out;
    }
}
