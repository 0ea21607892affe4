package io.calsync.providers.ical;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The repair pass: turns the text of a real-world feed into one well-formed VCALENDAR that ical4j's strict
 * tokenizer reads, keeping every component it can. It works on unfolded content lines, so a problem on one line
 * never shifts the meaning of the next.
 *
 * <ul>
 *   <li>Line breaks CRLF, LF or a lone CR; control characters and the non-characters U+FFFE/U+FFFF removed.
 *   <li>Lines that are not content lines (no name or no colon) dropped; malformed parameters dropped
 *       ({@link ContentLine}); date values repaired ({@link DateRepairs}).
 *   <li>Structure: components outside VCALENDAR taken in, several VCALENDAR blocks merged into one (the first
 *       block's calendar properties win, VTIMEZONEs kept once per TZID), unclosed components closed, stray END lines
 *       dropped, nesting bounded.
 * </ul>
 */
final class IcsRepair {

    /** Deeper nesting than this is junk (real feeds nest VCALENDAR > VEVENT > VALARM); ical4j itself stops at 10. */
    private static final int MAX_DEPTH = 6;

    /** Components that only live inside others; found at the top level they are debris of a broken feed. */
    private static final Set<String> SUB_COMPONENTS = Set.of("VALARM", "STANDARD", "DAYLIGHT", "AVAILABLE");

    private static final Pattern COMPONENT_NAME = Pattern.compile("^[A-Z0-9-]{1,64}$");
    private static final Pattern UNWANTED_CHARS = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F\\uFFFE\\uFFFF]");

    private IcsRepair() {}

    /** A top-level component: its name, the line it began on in the feed, and its lines from BEGIN to END. */
    record Block(String name, int line, List<String> lines) {

        /** The value of the block's own first property of that name (not of a nested component), or null. */
        String property(String propertyName) {
            int depth = 0;
            for (String raw : lines) {
                ContentLine l = ContentLine.parse(raw);
                if (l.isBegin()) {
                    depth++;
                } else if (l.isEnd()) {
                    depth--;
                } else if (depth == 1 && l.name().equals(propertyName)) {
                    return l.value();
                }
            }
            return null;
        }
    }

    /** The repaired feed: its calendar properties and top-level components, and whether it had a VCALENDAR. */
    record Repaired(List<ContentLine> calendarProperties, List<Block> components, boolean hadCalendar) {

        /** One VCALENDAR holding the calendar properties (when asked) and the given components. */
        String render(boolean withProperties, List<Block> blocks) {
            StringBuilder b = new StringBuilder(8192).append("BEGIN:VCALENDAR\r\n");
            if (withProperties) {
                calendarProperties.forEach(p -> b.append(p.format()).append("\r\n"));
            }
            blocks.forEach(block -> block.lines().forEach(l -> b.append(l).append("\r\n")));
            return b.append("END:VCALENDAR\r\n").toString();
        }

        /** The first calendar property of that name, or null. */
        ContentLine calendarProperty(String name) {
            return calendarProperties.stream()
                    .filter(p -> p.name().equals(name))
                    .findFirst()
                    .orElse(null);
        }
    }

    private record Line(int number, String text) {}

    private static final class OpenComponent {
        final String name;
        final int line;
        final List<String> lines = new ArrayList<>();

        OpenComponent(String name, int line) {
            this.name = name;
            this.line = line;
            lines.add("BEGIN:" + name);
        }
    }

    static Repaired repair(String text, Notes notes) {
        return new Pass(notes).run(text);
    }

    /** The state of one pass over a feed. */
    private static final class Pass {
        private final Notes notes;
        private final Deque<OpenComponent> open = new ArrayDeque<>();
        private final Map<String, List<ContentLine>> calendarProperties = new LinkedHashMap<>();
        private final Set<String> propertiesOfEarlierCalendars = new HashSet<>();
        private final List<Block> components = new ArrayList<>();
        private boolean inCalendar;
        private int calendars;
        private int outside;

        Pass(Notes notes) {
            this.notes = notes;
        }

        Repaired run(String text) {
            for (Line line : unfold(text)) {
                String cleaned = UNWANTED_CHARS.matcher(line.text()).replaceAll("");
                if (!cleaned.isBlank()) {
                    accept(line.number(), cleaned);
                }
            }
            closeAll("at the end of the feed");
            if (calendars > 1) {
                notes.add(calendars + " VCALENDAR blocks merged into one");
            }
            if (outside > 0) {
                notes.add(outside + " component(s) outside VCALENDAR taken in");
            }
            List<ContentLine> properties = new ArrayList<>();
            calendarProperties.values().forEach(properties::addAll);
            return new Repaired(List.copyOf(properties), keptComponents(), calendars > 0);
        }

        private void accept(int number, String text) {
            ContentLine line = ContentLine.parse(text);
            if (line == null) {
                notes.add("line " + number + " is not a content line; dropped");
                return;
            }
            if (line.droppedParams() > 0) {
                notes.add("line " + number + ": malformed parameter dropped");
            }
            if (line.isBegin()) {
                begin(number, line.componentName());
            } else if (line.isEnd()) {
                end(number, line.componentName());
            } else {
                property(number, line);
            }
        }

        private void begin(int number, String name) {
            if (!COMPONENT_NAME.matcher(name).matches()) {
                notes.add("line " + number + ": BEGIN without a valid component name; dropped");
                return;
            }
            if (name.equals("VCALENDAR")) {
                closeAll("before the next VCALENDAR");
                if (inCalendar) {
                    notes.add("line " + number + ": VCALENDAR inside VCALENDAR");
                }
                calendarProperties.keySet().forEach(propertiesOfEarlierCalendars::add);
                inCalendar = true;
                calendars++;
                return;
            }
            if (open.size() >= MAX_DEPTH) {
                notes.add("line " + number + ": components nested too deep; BEGIN:" + name + " dropped");
                return;
            }
            if (open.isEmpty() && !inCalendar) {
                outside++;
            }
            open.push(new OpenComponent(name, number));
        }

        private void end(int number, String name) {
            if (name.equals("VCALENDAR")) {
                closeAll("before END:VCALENDAR");
                inCalendar = false;
                return;
            }
            if (open.stream().noneMatch(c -> c.name.equals(name))) {
                notes.add("line " + number + ": END:" + name + " without BEGIN; dropped");
                return;
            }
            while (!open.peek().name.equals(name)) {
                notes.add(open.peek().name + " of line " + open.peek().line + " closed at line " + number);
                close();
            }
            close();
        }

        private void property(int number, ContentLine line) {
            DateRepairs.Outcome repaired = DateRepairs.repair(line);
            if (repaired.note() != null) {
                notes.add("line " + number + ": " + repaired.note());
            }
            if (repaired.line() == null) {
                return;
            }
            if (!open.isEmpty()) {
                open.peek().lines.add(repaired.line().format());
            } else if (inCalendar) {
                // Properties of a later VCALENDAR block only fill what the first one did not say.
                if (!propertiesOfEarlierCalendars.contains(line.name())) {
                    calendarProperties
                            .computeIfAbsent(line.name(), k -> new ArrayList<>())
                            .add(repaired.line());
                }
            } else {
                notes.add("line " + number + ": property outside any component; dropped");
            }
        }

        private void close() {
            OpenComponent done = open.pop();
            done.lines.add("END:" + done.name);
            if (open.isEmpty()) {
                components.add(new Block(done.name, done.line, List.copyOf(done.lines)));
            } else {
                open.peek().lines.addAll(done.lines);
            }
        }

        private void closeAll(String where) {
            while (!open.isEmpty()) {
                notes.add(open.peek().name + " of line " + open.peek().line + " was not closed; closed " + where);
                close();
            }
        }

        /**
         * The top-level components worth parsing: VTIMEZONEs once per TZID (merged calendars repeat them) and only
         * with one (ical4j cannot register a zone without a name), no stray sub-components.
         */
        private List<Block> keptComponents() {
            Set<String> zones = new HashSet<>();
            List<Block> kept = new ArrayList<>(components.size());
            for (Block b : components) {
                if (SUB_COMPONENTS.contains(b.name())) {
                    notes.add(b.name() + " of line " + b.line() + " outside its parent component; dropped");
                    continue;
                }
                if (b.name().equals("VTIMEZONE")) {
                    String tzid = b.property("TZID");
                    if (tzid == null || tzid.isBlank()) {
                        notes.add("VTIMEZONE of line " + b.line() + " has no TZID; dropped");
                        continue;
                    }
                    if (!zones.add(tzid.strip())) {
                        continue;
                    }
                }
                kept.add(b);
            }
            return kept;
        }
    }

    /** Logical lines with the number of their first physical line; a line starting with space or tab continues. */
    private static List<Line> unfold(String text) {
        String[] physical = text.split("\r\n|\r|\n", -1);
        List<Line> lines = new ArrayList<>(physical.length);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < physical.length; i++) {
            String p = physical[i];
            if (current != null && !p.isEmpty() && (p.charAt(0) == ' ' || p.charAt(0) == '\t')) {
                current.append(p, 1, p.length());
                continue;
            }
            if (current != null) {
                lines.add(new Line(start, current.toString()));
            }
            current = new StringBuilder(p);
            start = i + 1;
        }
        if (current != null) {
            lines.add(new Line(start, current.toString()));
        }
        return lines;
    }
}
