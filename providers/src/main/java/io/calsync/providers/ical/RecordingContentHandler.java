package io.calsync.providers.ical;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import net.fortuna.ical4j.data.DefaultContentHandler;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZoneRegistry;

/**
 * ical4j's content handler, but a property or parameter whose value ical4j cannot read is dropped and noted instead
 * of failing the whole parse. (ical4j's own {@code suppressInvalidProperties} does the same but logs a stack trace
 * per property, and our logs carry none.) Whole components that cannot be built still fail the parse; the parser
 * then reads the feed component by component.
 */
final class RecordingContentHandler extends DefaultContentHandler {

    private final Notes notes;
    private final Deque<String> components = new ArrayDeque<>();

    RecordingContentHandler(Consumer<Calendar> consumer, TimeZoneRegistry registry, Notes notes) {
        super(consumer, registry);
        this.notes = notes;
    }

    @Override
    public void startComponent(String name) {
        components.push(name);
        super.startComponent(name);
    }

    @Override
    public void endComponent(String name) {
        components.poll();
        super.endComponent(name);
    }

    @Override
    public void endProperty(String name) {
        try {
            super.endProperty(name);
        } catch (RuntimeException e) {
            notes.add(where() + name + " dropped: " + ComponentReader.reason(e));
        }
    }

    @Override
    public void parameter(String name, String value) {
        try {
            super.parameter(name, value);
        } catch (RuntimeException e) {
            notes.add(where() + "parameter " + name + " dropped: " + ComponentReader.reason(e));
        }
    }

    private String where() {
        return components.isEmpty() ? "VCALENDAR: " : components.peek() + ": ";
    }
}
