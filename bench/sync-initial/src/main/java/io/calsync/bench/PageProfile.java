package io.calsync.bench;

import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import io.calsync.providers.google.GoogleEventMapper;
import io.calsync.providers.port.ProviderEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the adapter's share of a round goes, measured outside the engine: the same listing the Google adapter asks
 * for (window, {@code singleEvents=false}, pages of 2,500, through the Calendar v3 client on the Apache transport, as
 * GoogleClients builds it), taken apart into three steps per page:
 *
 * <ol>
 *   <li><b>answer</b>: request sent, the whole body read as bytes. The sandbox runs in this JVM, so this is its work
 *       (rendering the page as JSON) plus loopback HTTP; the CPU of the calling thread against the whole JVM's tells
 *       the two apart.
 *   <li><b>JSON</b>: those bytes parsed into the client's model ({@link Events}) with the client's own JSON factory,
 *       what {@code execute()} does after reading.
 *   <li><b>mapping</b>: every item through {@link GoogleEventMapper#toProviderEvent}, as the adapter does.
 * </ol>
 */
final class PageProfile {

    /** One listing, in seconds per step, and CPU seconds of the calling thread and of the JVM during the answers. */
    record Pass(
            int pages,
            int items,
            long bytes,
            double answer,
            double json,
            double mapping,
            double answerThreadCpu,
            double answerJvmCpu) {}

    private final Calendar client;
    private final String calendarId;
    private final String accessToken;
    private final Instant windowStart;
    private final Instant windowEnd;

    PageProfile(String apiRootUrl, String calendarId, String accessToken, Instant windowStart, Instant windowEnd) {
        this.client = new Calendar.Builder(new ApacheHttpTransport(), GsonFactory.getDefaultInstance(), request -> {
                    request.setConnectTimeout(10_000);
                    request.setReadTimeout(30_000);
                    request.setNumberOfRetries(0);
                })
                .setRootUrl(apiRootUrl)
                .setServicePath(Calendar.DEFAULT_SERVICE_PATH)
                .setApplicationName("calsync")
                .build();
        this.calendarId = calendarId;
        this.accessToken = accessToken;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    Pass run() throws IOException {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long answer = 0, json = 0, mapping = 0, threadCpu = 0, jvmCpu = 0, bytes = 0;
        int pages = 0, items = 0;
        String pageToken = null;
        List<ProviderEvent> mapped = new ArrayList<>();
        do {
            Calendar.Events.List list = client.events()
                    .list(calendarId)
                    .setMaxResults(2500)
                    .setPageToken(pageToken)
                    .setSingleEvents(false)
                    .setShowDeleted(false)
                    .setTimeMin(new DateTime(windowStart.toEpochMilli(), 0))
                    .setTimeMax(new DateTime(windowEnd.toEpochMilli(), 0));
            list.getRequestHeaders().setAuthorization("Bearer " + accessToken);

            long c0 = threads.getCurrentThreadCpuTime();
            long j0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            byte[] body;
            HttpResponse response = list.executeUnparsed();
            try (InputStream in = response.getContent()) {
                body = in.readAllBytes();
            } finally {
                response.disconnect();
            }
            long t1 = System.nanoTime();
            threadCpu += threads.getCurrentThreadCpuTime() - c0;
            jvmCpu += os.getProcessCpuTime() - j0;

            Events page = GsonFactory.getDefaultInstance()
                    .fromInputStream(new ByteArrayInputStream(body), StandardCharsets.UTF_8, Events.class);
            long t2 = System.nanoTime();

            GoogleEventMapper.CalendarDefaults defaults =
                    new GoogleEventMapper.CalendarDefaults(page.getTimeZone(), page.getDefaultReminders());
            mapped.clear();
            if (page.getItems() != null) {
                for (Event e : page.getItems()) {
                    if (e != null && e.getId() != null) {
                        mapped.add(GoogleEventMapper.toProviderEvent(e, defaults));
                    }
                }
                items += page.getItems().size();
            }
            long t3 = System.nanoTime();

            answer += t1 - t0;
            json += t2 - t1;
            mapping += t3 - t2;
            bytes += body.length;
            pages++;
            pageToken = page.getNextPageToken();
        } while (pageToken != null);
        return new Pass(pages, items, bytes, answer / 1e9, json / 1e9, mapping / 1e9, threadCpu / 1e9, jvmCpu / 1e9);
    }
}
