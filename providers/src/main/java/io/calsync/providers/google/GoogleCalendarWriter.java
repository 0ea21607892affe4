package io.calsync.providers.google;

import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.CalendarListEntry;
import com.google.api.services.calendar.model.Event;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import io.calsync.providers.port.ProviderWriter;
import io.calsync.providers.port.SyncTarget;
import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;

/**
 * Local changes written to Google Calendar.
 *
 * <ul>
 *   <li><b>create</b>: {@code events.insert} with an id of our choosing, the local UUID's hex (Google accepts ids of
 *       base32hex characters, 5 to 1024 long, and hex is a subset). A create retried after its answer got lost
 *       meets 409: the first attempt arrived, and the event under our id is the answer. An instance of a series
 *       (an override or a cancelled occurrence) is not inserted but written to its instance id with
 *       {@code events.patch} (Google's "Recurring events" guide changes an instance by writing to its id); that is
 *       idempotent by itself, and the override keeps what the series has beyond our fields (colour, conference).
 *   <li><b>update</b>: {@code events.patch} with {@code If-Match}, sending exactly the fields our rows hold
 *       ({@link GoogleEventMapper#toGooglePatch}): a full {@code events.update} would wipe everything else the
 *       event has at Google (conferenceData, attachments, colorId, extendedProperties, guest permissions). 412 is
 *       {@code PRECONDITION_FAILED}, 404/410 {@code NOT_FOUND}.
 *   <li><b>delete</b>: {@code events.delete} with {@code If-Match}; an event already gone (404/410) is success.
 *   <li><b>get</b>: {@code events.get}; a gone event is null.
 * </ul>
 */
@Lazy // built only in a service that injects it; registered by ProvidersAutoConfiguration
public class GoogleCalendarWriter implements ProviderWriter {

    private static final Logger log = LoggerFactory.getLogger(GoogleCalendarWriter.class);

    private final Calendar client;
    private final ProviderCalls calls;

    public GoogleCalendarWriter(ProviderEndpoints endpoints, ProviderCalls calls) {
        this.client = GoogleClients.calendar(endpoints.googleApiRootUrl());
        this.calls = calls;
    }

    @Override
    public CalendarProvider provider() {
        return CalendarProvider.GOOGLE;
    }

    /** The Google event id a local event is created under: its UUID's 32 hex digits, lower case. */
    public static String eventId(UUID localId) {
        return localId.toString().replace("-", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public Written create(SyncTarget target, UUID localId, ProviderEvent event) {
        if (event.isInstance()) {
            String instanceId = GoogleEventMapper.instanceId(event.providerRecurringId(), event);
            return GoogleEventMapper.written(patch(target, instanceId, GoogleEventMapper.toGooglePatch(event), null));
        }
        String id = eventId(localId);
        Event body = GoogleEventMapper.toGoogle(event).setId(id);
        if (event.iCalUid() != null) {
            body.setICalUID(event.iCalUid());
        }
        try {
            Event created = calls.execute(
                    target,
                    "events.insert",
                    token -> GoogleClients.execute(
                            insertRequest(target, body), token, "events.insert", GoogleErrors.Call.INSERT, null));
            return GoogleEventMapper.written(created);
        } catch (ProviderException e) {
            if (e.kind() != Kind.CONFLICT) {
                throw e;
            }
            return existingCreate(target, id, e);
        }
    }

    /**
     * A 409 on our own id: an earlier attempt of this create arrived, so its event is the answer. If that event has
     * since been deleted at Google the create is answered NOT_FOUND (the event is gone at the provider); if no event
     * ever had the id, the conflict was about something else (a taken iCalUID) and stands.
     */
    private Written existingCreate(SyncTarget target, String id, ProviderException conflict) {
        Event existing;
        try {
            existing = fetch(target, id);
        } catch (ProviderException e) {
            if (e.kind() == Kind.NOT_FOUND && e.status() == 410) {
                throw new ProviderException(
                        Kind.NOT_FOUND, 410, "deleted", "Google event of this create was deleted at Google");
            }
            if (e.kind() == Kind.NOT_FOUND) {
                throw conflict;
            }
            throw e;
        }
        if (isDeleted(existing)) {
            throw new ProviderException(
                    Kind.NOT_FOUND, 410, "deleted", "Google event of this create was deleted at Google");
        }
        log.info(
                "google create found its event from an earlier attempt connectionId={} eventId={}",
                target.connectionId(),
                id);
        return GoogleEventMapper.written(existing);
    }

    @Override
    public Written update(SyncTarget target, ProviderEvent event, String ifMatch) {
        String id = event.providerEventId();
        if (id == null && event.isInstance()) {
            id = GoogleEventMapper.instanceId(event.providerRecurringId(), event);
        }
        if (id == null) {
            throw new IllegalArgumentException("an update needs the provider's event id");
        }
        return GoogleEventMapper.written(patch(target, id, GoogleEventMapper.toGooglePatch(event), ifMatch));
    }

    private Event patch(SyncTarget target, String eventId, Event body, String ifMatch) {
        return calls.execute(
                target,
                "events.patch",
                token -> GoogleClients.execute(
                        request(() -> client.events().patch(target.providerCalendarId(), eventId, body)),
                        token,
                        "events.patch",
                        GoogleErrors.Call.SINGLE_EVENT,
                        ifMatch));
    }

    @Override
    public void delete(SyncTarget target, String providerEventId, String ifMatch) {
        try {
            calls.execute(
                    target,
                    "events.delete",
                    token -> GoogleClients.execute(
                            request(() -> client.events().delete(target.providerCalendarId(), providerEventId)),
                            token,
                            "events.delete",
                            GoogleErrors.Call.SINGLE_EVENT,
                            ifMatch));
        } catch (ProviderException e) {
            if (e.kind() != Kind.NOT_FOUND) {
                throw e;
            }
            // Already gone (deleted at Google, or an earlier attempt of this delete arrived): what we wanted.
            log.debug(
                    "google delete of an event already gone connectionId={} status={}",
                    target.connectionId(),
                    e.status());
        }
    }

    @Override
    public ProviderEvent get(SyncTarget target, String providerEventId) {
        Event event;
        try {
            event = fetch(target, providerEventId);
        } catch (ProviderException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
        if (isDeleted(event)) {
            return null;
        }
        return GoogleEventMapper.toProviderEvent(event, defaultsIfNeeded(target, event));
    }

    /**
     * The calendar's zone and default reminders, fetched ({@code calendarList.get}, where Google keeps the user's
     * default reminders) only when the event leans on them: a list page brings them along, a single get does not.
     */
    private GoogleEventMapper.CalendarDefaults defaultsIfNeeded(SyncTarget target, Event event) {
        boolean needsZone = event.getStart() != null && event.getStart().getTimeZone() == null;
        boolean needsReminders = event.getReminders() != null
                && Boolean.TRUE.equals(event.getReminders().getUseDefault());
        if (!needsZone && !needsReminders) {
            return GoogleEventMapper.CalendarDefaults.NONE;
        }
        CalendarListEntry entry = calls.execute(
                target,
                "calendarList.get",
                token -> GoogleClients.execute(
                        request(() -> client.calendarList().get(target.providerCalendarId())),
                        token,
                        "calendarList.get",
                        GoogleErrors.Call.OTHER,
                        null));
        return new GoogleEventMapper.CalendarDefaults(entry.getTimeZone(), entry.getDefaultReminders());
    }

    private Event fetch(SyncTarget target, String eventId) {
        return calls.execute(
                target,
                "events.get",
                token -> GoogleClients.execute(
                        request(() -> client.events().get(target.providerCalendarId(), eventId)),
                        token,
                        "events.get",
                        GoogleErrors.Call.SINGLE_EVENT,
                        null));
    }

    /**
     * A deleted single event or series. Google may answer a get of one with 200 and {@code status=cancelled}
     * instead of 410 (a recording in the shared corpus does); a cancelled occurrence (with a
     * {@code recurringEventId}) is a state of its own, not gone.
     */
    private static boolean isDeleted(Event e) {
        return "cancelled".equals(e.getStatus()) && e.getRecurringEventId() == null;
    }

    private Calendar.Events.Insert insertRequest(SyncTarget target, Event body) {
        return request(() -> client.events().insert(target.providerCalendarId(), body));
    }

    /** The generated client declares IOException on building a request; it never does I/O there. */
    @FunctionalInterface
    private interface RequestBuilder<R> {
        R build() throws IOException;
    }

    private static <R> R request(RequestBuilder<R> builder) {
        try {
            return builder.build();
        } catch (IOException e) {
            throw GoogleErrors.translate("request", GoogleErrors.Call.OTHER, e);
        }
    }
}
