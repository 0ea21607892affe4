package io.calsync.providers.google;

import static io.calsync.providers.google.GoogleSandbox.control;
import static io.calsync.providers.google.GoogleSandbox.fault;
import static io.calsync.providers.google.GoogleSandbox.patchAtGoogle;
import static io.calsync.providers.google.GoogleSandbox.seedId;
import static io.calsync.providers.google.GoogleSandbox.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.google.GoogleSandbox.Account;
import io.calsync.providers.google.GoogleSandbox.Calls;
import io.calsync.providers.google.GoogleSandbox.Tokens;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderSubscriptions.Opened;
import io.calsync.providers.port.SyncTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Google push channels against the sandbox's {@code events.watch} and {@code channels.stop}, with a real HTTP
 * receiver standing in for webhook-ingest: the sandbox delivers to it as Google would.
 */
class GoogleChannelsTest {

    private static final Duration DELIVERY = Duration.ofSeconds(10);

    private Account account;
    private String calendarId;
    private Tokens tokens;
    private Calls calls;
    private GoogleChannels channels;
    private SyncTarget target;
    private Receiver receiver;

    @BeforeEach
    void setUp() throws IOException {
        account = GoogleSandbox.newAccount();
        calendarId = account.email();
        tokens = new Tokens(account);
        calls = Calls.recording();
        channels = new GoogleChannels(GoogleSandbox.endpoints(), calls.calls(), Clock.systemUTC());
        target = target(calendarId, null, null, null, tokens);
        receiver = new Receiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    /** One push request as the receiver saw it: the X-Goog-* headers that webhook-ingest reads. */
    record Push(String channelId, String token, String state, String resourceId, long messageNumber) {}

    /** A tiny webhook endpoint on loopback that records every POST and answers 200. */
    static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final List<Push> pushes = new CopyOnWriteArrayList<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/api/v1/calendar/webhooks/google", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    var h = exchange.getRequestHeaders();
                    String number = h.getFirst("X-Goog-Message-Number");
                    pushes.add(new Push(
                            h.getFirst("X-Goog-Channel-ID"),
                            h.getFirst("X-Goog-Channel-Token"),
                            h.getFirst("X-Goog-Resource-State"),
                            h.getFirst("X-Goog-Resource-ID"),
                            number == null ? -1 : Long.parseLong(number)));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/calendar/webhooks/google";
        }

        List<Push> of(String channelId) {
            return pushes.stream().filter(p -> channelId.equals(p.channelId())).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private Opened open(String channelId, String token, Instant expiresAt) {
        return channels.open(target, channelId, receiver.url(), "http://unused.example/lifecycle", token, expiresAt);
    }

    private static String channelId() {
        return UUID.randomUUID().toString();
    }

    /** The channels the sandbox holds open on the calendar, by id. */
    private Map<String, JsonNode> activeAtGoogle() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        control(
                        "GET",
                        "/control/google/calendars/" + URLEncoder.encode(calendarId, StandardCharsets.UTF_8)
                                + "/channels",
                        null)
                .forEach(c -> out.put(c.get("id").stringValue(), c));
        return out;
    }

    private void changeAtGoogle() {
        seedId(calendarId, """
                {"summary":"Changed at Google","start":{"date":"2026-10-01"},"end":{"date":"2026-10-02"}}
                """);
    }

    @Test
    void isGooglesAndRenewsByOpeningANewChannel() {
        assertThat(channels.provider()).isEqualTo(CalendarProvider.GOOGLE);
        assertThat(channels.renewsInPlace()).isFalse();
        assertThatThrownBy(() -> channels.renew(target, "any", Instant.now().plus(Duration.ofDays(1))))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void openAnswersTheChannelWithItsResourceIdAndTheExpiryGoogleGranted() {
        String id = channelId();
        Instant wanted = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);

        Opened opened = open(id, "state-1", wanted);

        assertThat(opened.subscriptionId()).isEqualTo(id);
        assertThat(opened.resourceId()).isNotBlank();
        assertThat(opened.resource()).contains("/calendar/v3/calendars/").contains("/events");
        assertThat(opened.expiresAt()).isEqualTo(wanted);
        JsonNode atGoogle = activeAtGoogle().get(id);
        assertThat(atGoogle).as("the sandbox holds the channel").isNotNull();
        assertThat(atGoogle.get("resourceId").stringValue()).isEqualTo(opened.resourceId());
        assertThat(atGoogle.get("address").stringValue()).isEqualTo(receiver.url());
        assertThat(atGoogle.get("token").stringValue()).isEqualTo("state-1");
        assertThat(atGoogle.get("expiration").asLong()).isEqualTo(wanted.toEpochMilli());
    }

    @Test
    void aWishBeyondAWeekIsCappedAndNoWishGetsGooglesDefaultWeek() {
        Instant before = Instant.now();

        Opened capped = open(channelId(), "s", before.plus(Duration.ofDays(30)));
        Opened byDefault = open(channelId(), "s", null);

        Instant after = Instant.now();
        assertThat(capped.expiresAt())
                .isBetween(before.plus(GoogleChannels.MAX_TTL).minusMillis(1), after.plus(GoogleChannels.MAX_TTL));
        assertThat(byDefault.expiresAt())
                .isBetween(before.plus(Duration.ofDays(7)).minusMillis(1), after.plus(Duration.ofDays(7)));
    }

    @Test
    void theChannelDeliversSyncThenExistsWithItsIdAndToken() {
        String id = channelId();
        Opened opened = open(id, "client-state-xyz", Instant.now().plus(Duration.ofDays(1)));

        await().atMost(DELIVERY).until(() -> receiver.of(id).size() == 1);
        Push sync = receiver.of(id).getFirst();
        assertThat(sync.state()).isEqualTo("sync");
        assertThat(sync.token()).isEqualTo("client-state-xyz");
        assertThat(sync.resourceId()).isEqualTo(opened.resourceId());
        assertThat(sync.messageNumber()).isEqualTo(1);

        String event = seedId(calendarId, """
                {"summary":"New at Google","start":{"date":"2026-10-01"},"end":{"date":"2026-10-02"}}
                """);
        await().atMost(DELIVERY).until(() -> receiver.of(id).size() == 2);
        patchAtGoogle(calendarId, event, """
                {"summary":"Renamed at Google"}
                """);
        await().atMost(DELIVERY).until(() -> receiver.of(id).size() == 3);

        List<Push> later = receiver.of(id).subList(1, 3);
        assertThat(later).extracting(Push::state).containsOnly("exists");
        assertThat(later).extracting(Push::token).containsOnly("client-state-xyz");
        assertThat(later).extracting(Push::messageNumber).containsExactlyInAnyOrder(2L, 3L);
    }

    @Test
    void stopEndsDeliveries() {
        String stopped = channelId();
        Opened opened = open(stopped, "old", Instant.now().plus(Duration.ofDays(1)));
        await().atMost(DELIVERY).until(() -> receiver.of(stopped).size() == 1);

        channels.stop(target, stopped, opened.resourceId());
        changeAtGoogle();
        // A second channel's delivery of a later change marks the point by which the stopped one would have had its
        // own (the sandbox decides whom to notify when the change happens, before it returns).
        String live = channelId();
        open(live, "new", Instant.now().plus(Duration.ofDays(1)));
        changeAtGoogle();
        await().atMost(DELIVERY).until(() -> receiver.of(live).size() == 2);

        assertThat(activeAtGoogle()).containsKey(live).doesNotContainKey(stopped);
        assertThat(receiver.of(stopped)).extracting(Push::state).containsExactly("sync");
    }

    @Test
    void stoppingAChannelGoogleDoesNotKnowSucceeds() {
        String id = channelId();
        Opened opened = open(id, "s", Instant.now().plus(Duration.ofDays(1)));
        channels.stop(target, id, opened.resourceId());

        channels.stop(target, id, opened.resourceId());
        channels.stop(target, "never-opened-" + channelId(), opened.resourceId());

        assertThat(activeAtGoogle()).doesNotContainKey(id);
        assertThat(calls.errors("notFound"))
                .as("both answered 404, taken as gone")
                .isEqualTo(2);
        assertThat(calls.sleeps()).isEmpty();
    }

    @Test
    void stopWithoutTheResourceIdIsRefusedWithoutACallAndLeavesTheChannel() {
        String id = channelId();
        open(id, "s", Instant.now().plus(Duration.ofDays(1)));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> channels.stop(target, id, null));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(e.code()).isEqualTo("noResourceId");
        assertThat(activeAtGoogle()).containsKey(id);
    }

    @Test
    void aChannelIdAlreadyInUseIsPermanent() {
        String id = channelId();
        open(id, "s", Instant.now().plus(Duration.ofDays(1)));

        ProviderException e = catchThrowableOfType(
                ProviderException.class, () -> open(id, "other", Instant.now().plus(Duration.ofDays(1))));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).doesNotContain("other").doesNotContain(receiver.url());
        assertThat(activeAtGoogle().get(id).get("token").stringValue()).isEqualTo("s");
    }

    @Test
    void aRateLimitedWatchIsRetriedThroughTheSharedPolicy() {
        fault("POST", account.localPart() + ".*/events/watch", "RATE_LIMIT", 403, 1, 1);
        String id = channelId();

        Opened opened = open(id, "s", Instant.now().plus(Duration.ofDays(1)));

        assertThat(opened.resourceId()).isNotBlank();
        assertThat(calls.sleeps()).hasSize(1);
        assertThat(calls.sleeps().getFirst()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(activeAtGoogle()).containsOnlyKeys(id);
    }

    @Test
    void anExpiredAccessTokenIsRefreshedOnceForAWatchAndAStop() {
        control("POST", "/control/accounts/" + account.id() + "/expire-access-tokens", null);
        String id = channelId();

        Opened opened = open(id, "s", Instant.now().plus(Duration.ofDays(1)));
        assertThat(tokens.refreshes).hasValue(1);

        control("POST", "/control/accounts/" + account.id() + "/expire-access-tokens", null);
        channels.stop(target, id, opened.resourceId());

        assertThat(tokens.refreshes).hasValue(2);
        assertThat(activeAtGoogle()).doesNotContainKey(id);
    }
}
