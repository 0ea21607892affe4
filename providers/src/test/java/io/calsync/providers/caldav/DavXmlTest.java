package io.calsync.providers.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The WebDAV answers as a hostile server could write them, and the rules for where a password may go. */
class DavXmlTest {

    @Test
    void aMultistatusIsReadWithPrefixesAndPerPropstatStatus() {
        String xml = "<?xml version='1.0'?><D:multistatus xmlns:D='DAV:' xmlns:C='urn:ietf:params:xml:ns:caldav'>"
                + "<D:sync-token>tok-2</D:sync-token>"
                + "<D:response><D:href>/cal/a.ics</D:href><D:propstat><D:prop><D:getetag>\"e1\"</D:getetag>"
                + "<C:calendar-data>BEGIN:VCALENDAR</C:calendar-data></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
                + "</D:propstat><D:propstat><D:prop><D:displayname/></D:prop><D:status>HTTP/1.1 404 Not Found"
                + "</D:status></D:propstat></D:response>"
                + "<D:response><D:href>/cal/gone.ics</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>"
                + "</D:multistatus>";
        DavXml.MultiStatus ms = DavXml.multistatus(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(ms.syncToken()).isEqualTo("tok-2");
        assertThat(ms.responses()).hasSize(2);
        DavXml.Response a = ms.responses().getFirst();
        assertThat(a.text(DavXml.DAV, "getetag")).isEqualTo("\"e1\"");
        assertThat(a.text(DavXml.CALDAV, "calendar-data")).isEqualTo("BEGIN:VCALENDAR");
        assertThat(a.prop(DavXml.DAV, "displayname")).isNull(); // in a 404 propstat: not found
        assertThat(ms.responses().get(1).gone()).isTrue();
    }

    @Test
    void entitiesAndDoctypesAreRefused() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<multistatus xmlns='DAV:'><response><href>&x;</href></response></multistatus>";
        assertThatThrownBy(() -> DavXml.multistatus(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DavXml.BadXmlException.class);
        String laughs = "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"
                + "<multistatus xmlns='DAV:'>&b;</multistatus>";
        assertThatThrownBy(() -> DavXml.multistatus(laughs.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DavXml.BadXmlException.class);
        assertThatThrownBy(() -> DavXml.multistatus("<html>not dav</html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DavXml.BadXmlException.class);
        assertThatThrownBy(() -> DavXml.multistatus(new byte[0])).isInstanceOf(DavXml.BadXmlException.class);
    }

    @Test
    void aPasswordGoesOnlyToTheSameSiteAndNeverDownToHttp() {
        URI icloud = URI.create("https://caldav.icloud.com/");
        assertThat(CalDavDiscovery.sameSite(icloud, URI.create("https://p42-caldav.icloud.com/123/principal/")))
                .isTrue();
        assertThat(CalDavDiscovery.sameSite(icloud, URI.create("http://p42-caldav.icloud.com/")))
                .isFalse();
        assertThat(CalDavDiscovery.sameSite(icloud, URI.create("https://evil.example.com/")))
                .isFalse();
        assertThat(CalDavDiscovery.sameSite(URI.create("https://example.com/"), URI.create("https://a.example.com/")))
                .isFalse();
        assertThat(CalDavDiscovery.sameSite(
                        URI.create("http://127.0.0.1:5232/"), URI.create("http://127.0.0.1:5232/x/")))
                .isTrue();
        assertThat(CalDavDiscovery.sameSite(URI.create("http://127.0.0.1/"), URI.create("http://127.0.0.2/")))
                .isFalse();
        assertThat(CalDavClient.loopback("127.0.0.1")).isTrue();
        assertThat(CalDavClient.loopback("[::1]")).isTrue();
        assertThat(CalDavClient.loopback("localhost")).isTrue();
        assertThat(CalDavClient.loopback("10.0.0.1")).isFalse();
        assertThat(CalDavClient.loopback("127.0.0.1.nip.io")).isFalse();
        assertThat(new CalDavClient.Credentials("ada", "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void appleColoursBecomeCssColours() {
        assertThat(CalDavDiscovery.color("#FF2968FF")).isEqualTo("#ff2968");
        assertThat(CalDavDiscovery.color("#1badf8")).isEqualTo("#1badf8");
        assertThat(CalDavDiscovery.color("red; background:url(x)")).isNull();
        assertThat(CalDavDiscovery.color(null)).isNull();
    }

    @Test
    void aResourceNameCannotLeaveTheCalendar() {
        URI calendar = URI.create("https://dav.example.com/u/work/");
        assertThat(CalDavCalendars.resolve(calendar, "a%20b.ics"))
                .hasToString("https://dav.example.com/u/work/a%20b.ics");
        assertThat(CalDavCalendars.resolve(calendar, "evt:1.ics"))
                .hasToString("https://dav.example.com/u/work/evt:1.ics");
        for (String hostile : new String[] {"..", "../other/x.ics", "a b.ics", "", "%2e%2e", "/etc/passwd"}) {
            assertThatThrownBy(() -> CalDavCalendars.resolve(calendar, hostile))
                    .as(hostile)
                    .isInstanceOfSatisfying(
                            io.calsync.providers.port.ProviderException.class,
                            e -> assertThat(e.code()).isEqualTo("CALDAV_BAD_NAME"));
        }
        assertThat(CalDavDiscovery.resolve(calendar, "not a uri")).isNull();
        assertThat(CalDavDiscovery.resolve(calendar, "/u/home/")).hasToString("https://dav.example.com/u/home/");
    }
}
