package io.calsync.sandbox.google;

import static io.calsync.sandbox.google.GoogleApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxSettings;
import io.calsync.sandbox.core.SandboxState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The store's Java API on its own, as other tests use it to seed data. */
class GoogleCalendarStoreTest {

    private SandboxState state;
    private GoogleCalendarStore store;
    private Account account;
    private final List<String> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        state = new SandboxState(new SandboxSettings(true, Duration.ofHours(1), Duration.ofSeconds(30), null, null));
        store = new GoogleCalendarStore(state);
        store.onChange(changes::add);
        account = state.createAccount(Provider.GOOGLE, "owner@example.test", "Owner");
    }

    private static ObjectNode event(String summary, String start, String end) {
        return json("""
                {"summary":"%s","start":{"dateTime":"%s"},"end":{"dateTime":"%s"}}
                """.formatted(summary, start, end));
    }

    @Test
    void primaryCalendarAppearsWhenFirstNamedAndResetClearsEverything() {
        ObjectNode created =
                store.insert("owner@example.test", event("x", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z"));
        assertThat(created.get("organizer").get("email").stringValue()).isEqualTo("owner@example.test");
        assertThat(store.calendarEntries(account.id())).hasSize(1);
        assertThat(changes).containsExactly("owner@example.test");

        state.reset();

        assertThatThrownBy(() -> store.storedEvents("owner@example.test"))
                .isInstanceOfSatisfying(
                        GoogleApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void concurrentWritesEachGetTheirOwnChangeNumber() throws Exception {
        String cal = account.email();
        String token =
                store.list(cal, EventQuery.defaults()).get("nextSyncToken").stringValue();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            ids.add(pool.submit(() -> {
                String id = store.insert(cal, event("e" + n, "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z"))
                        .get("id")
                        .stringValue();
                store.patch(cal, id, json("{\"summary\":\"p" + n + "\"}"));
                return id;
            }));
        }
        List<String> inserted = new ArrayList<>();
        for (Future<String> f : ids) {
            inserted.add(f.get());
        }
        pool.shutdown();

        JsonNode sync =
                store.list(cal, EventQuery.defaults().withSyncToken(token).withMaxResults(2500));
        assertThat(sync.get("items")).hasSize(200);
        List<String> listed = new ArrayList<>();
        sync.get("items").forEach(i -> listed.add(i.get("id").stringValue()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(inserted);
        sync.get("items")
                .forEach(i -> assertThat(i.get("summary").stringValue()).startsWith("p"));
        assertThat(changes).hasSize(400);
    }

    @Test
    void seedingSeriesExceptionsThroughTheJavaApi() {
        String cal = account.email();
        String master = store.insert(cal, json("""
                {"summary":"Daily","start":{"dateTime":"2026-01-05T09:00:00Z","timeZone":"UTC"},
                 "end":{"dateTime":"2026-01-05T09:30:00Z","timeZone":"UTC"},"recurrence":["RRULE:FREQ=DAILY;COUNT=5"]}
                """)).get("id").stringValue();

        assertThatThrownBy(() -> store.insert(cal, json("""
                {"recurringEventId":"%s","status":"cancelled","originalStartTime":{"dateTime":"2026-01-05T10:00:00Z"}}
                """.formatted(master))))
                .isInstanceOfSatisfying(
                        GoogleApiException.class, e -> assertThat(e.reason()).isEqualTo("invalid"));

        ObjectNode cancelled = store.insert(cal, json("""
                {"recurringEventId":"%s","status":"cancelled","originalStartTime":{"dateTime":"2026-01-06T09:00:00Z"}}
                """.formatted(master)));
        assertThat(cancelled.get("id").stringValue()).isEqualTo(master + "_20260106T090000Z");
        assertThat(store.find(cal, master + "_20260106T090000Z"))
                .get()
                .satisfies(e -> assertThat(e.get("status").stringValue()).isEqualTo("cancelled"));

        JsonNode instances = store.list(
                cal,
                EventQuery.defaults()
                        .withSingleEvents(true)
                        .withTimeRange(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z")));
        assertThat(instances.get("items")).hasSize(4);

        // Restoring the cancelled occurrence turns it into an override.
        ObjectNode restored =
                store.patch(cal, master + "_20260106T090000Z", json("{\"status\":\"confirmed\",\"summary\":\"Back\"}"));
        assertThat(restored.get("start").get("dateTime").stringValue()).isEqualTo("2026-01-06T09:00:00Z");
        assertThat(restored.get("summary").stringValue()).isEqualTo("Back");

        assertThatThrownBy(() -> store.insert(cal, json("""
                {"start":{"dateTime":"2026-01-05T09:00:00Z","timeZone":"UTC"},"end":{"dateTime":"2026-01-05T10:00:00Z"},
                 "recurrence":["RRULE:FREQ=SOMETIMES"]}
                """)))
                .isInstanceOfSatisfying(
                        GoogleApiException.class, e -> assertThat(e.reason()).isEqualTo("invalid"));
        assertThatThrownBy(() -> store.insert(cal, json("""
                {"start":{"dateTime":"2026-01-05T09:00:00Z"},"end":{"dateTime":"2026-01-05T10:00:00Z"},
                 "recurrence":["RRULE:FREQ=DAILY"]}
                """)))
                .isInstanceOfSatisfying(
                        GoogleApiException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("Missing time zone definition for start time."));
    }

    @Test
    void remindersAndEnumsAreValidatedLikeGoogle() {
        String cal = account.email();
        ObjectNode both = event("r", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z");
        both.set("reminders", json("{\"useDefault\":true,\"overrides\":[{\"method\":\"popup\",\"minutes\":5}]}"));
        assertThatThrownBy(() -> store.insert(cal, both))
                .isInstanceOfSatisfying(
                        GoogleApiException.class,
                        e -> assertThat(e.reason()).isEqualTo("cannotUseDefaultRemindersAndSpecifyOverride"));

        ObjectNode opaque =
                event("o", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z").put("transparency", "opaque");
        assertThat(store.insert(cal, opaque).has("transparency")).isFalse(); // Google omits the default
        ObjectNode bad =
                event("b", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z").put("visibility", "secret");
        assertThatThrownBy(() -> store.insert(cal, bad)).isInstanceOf(GoogleApiException.class);
    }

    @Test
    void demoDataSeedsTheDemoAccount() {
        new GoogleDemoData(store).seed(account);

        assertThat(store.calendarEntries(account.id()))
                .extracting(c -> c.get("summary").stringValue())
                .containsExactly("owner@example.test", "Team", "Holidays in Germany");
        JsonNode upcoming = store.list(
                account.email(),
                EventQuery.defaults()
                        .withSingleEvents(true)
                        .withOrderBy("startTime")
                        .withTimeRange(Instant.now(), Instant.now().plus(Duration.ofDays(30))));
        assertThat(upcoming.get("items").size()).isGreaterThan(15);
        assertThat(upcoming.get("timeZone").stringValue()).isEqualTo("Europe/Berlin");
    }
}
