package io.calsync.providers.ical;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import net.fortuna.ical4j.data.CalendarParserImpl;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.CalendarComponent;

/**
 * Reads the repaired feed's components with ical4j: the whole calendar at once, and, should that fail, each
 * top-level component in a calendar of its own (with the VTIMEZONEs it names), so that one component ical4j cannot
 * build costs that component only.
 */
final class ComponentReader {

    private static final Pattern PARSER_LINE = Pattern.compile("^Error at line [\\d,]+:\\s*");

    private ComponentReader() {}

    /** A top-level component and what became of it: the component read, or why not. */
    record Read(IcsRepair.Block block, CalendarComponent component, String failure) {}

    static List<Read> read(IcsRepair.Repaired repaired, Notes notes) {
        List<IcsRepair.Block> blocks = repaired.components();
        Notes attempt = new Notes();
        try {
            List<CalendarComponent> components =
                    build(repaired.render(true, blocks), attempt).getComponents();
            if (components.size() == blocks.size()) {
                notes.addAll(attempt);
                List<Read> read = new ArrayList<>(blocks.size());
                for (int i = 0; i < blocks.size(); i++) {
                    read.add(new Read(blocks.get(i), components.get(i), null));
                }
                return read;
            }
            notes.add("the parser returned " + components.size() + " of " + blocks.size()
                    + " components; read one by one");
        } catch (ParserException | IOException | RuntimeException e) {
            notes.add("the feed as a whole could not be parsed (" + reason(e) + "); read component by component");
        }
        return readEach(repaired, notes);
    }

    private static List<Read> readEach(IcsRepair.Repaired repaired, Notes notes) {
        List<IcsRepair.Block> zones = new ArrayList<>();
        List<Read> read = new ArrayList<>();
        for (IcsRepair.Block block : repaired.components()) {
            if (block.name().equals("VTIMEZONE")) {
                Read zone = readOne(repaired, block, List.of(), notes);
                if (zone.component() != null) {
                    zones.add(block);
                }
                read.add(zone);
            }
        }
        for (IcsRepair.Block block : repaired.components()) {
            if (!block.name().equals("VTIMEZONE")) {
                List<IcsRepair.Block> used = zones.stream()
                        .filter(z -> mentions(block, z.property("TZID")))
                        .toList();
                read.add(readOne(repaired, block, used, notes));
            }
        }
        return read;
    }

    private static boolean mentions(IcsRepair.Block block, String tzid) {
        String wanted = "TZID=" + tzid.strip();
        String quoted = "TZID=\"" + tzid.strip() + "\"";
        return block.lines().stream().anyMatch(l -> l.contains(wanted) || l.contains(quoted));
    }

    private static Read readOne(
            IcsRepair.Repaired repaired, IcsRepair.Block block, List<IcsRepair.Block> zones, Notes notes) {
        List<IcsRepair.Block> blocks = new ArrayList<>(zones);
        blocks.add(block);
        Notes attempt = new Notes();
        try {
            List<CalendarComponent> components =
                    build(repaired.render(false, blocks), attempt).getComponents();
            notes.addAll(attempt);
            return new Read(block, components.getLast(), null);
        } catch (ParserException | IOException | RuntimeException e) {
            return new Read(block, null, reason(e));
        }
    }

    private static Calendar build(String text, Notes notes) throws IOException, ParserException {
        AtomicReference<Calendar> result = new AtomicReference<>();
        // A registry per parse: the feed's own VTIMEZONEs are registered in it and must not leak into other feeds.
        RecordingContentHandler handler = new RecordingContentHandler(
                result::set, TimeZoneRegistryFactory.getInstance().createRegistry(), notes);
        new CalendarParserImpl().parse(new StringReader(text), handler);
        if (result.get() == null) {
            throw new ParserException("no calendar", 0);
        }
        return result.get();
    }

    /** The innermost message of a failure, without the parser's line prefix (it counts lines of our text). */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        message = PARSER_LINE
                .matcher(message)
                .replaceFirst("")
                .replaceAll("\\s+", " ")
                .strip();
        return message.length() > 160 ? message.substring(0, 157) + "..." : message;
    }
}
