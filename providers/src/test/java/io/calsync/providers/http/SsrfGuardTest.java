package io.calsync.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which URLs and addresses the guard lets the server fetch, with private networks allowed and not. */
class SsrfGuardTest {

    final SsrfGuard strict = new SsrfGuard(false);
    final SsrfGuard open = new SsrfGuard(true);

    static Stream<Arguments> addresses() {
        return Stream.of(
                Arguments.of("127.0.0.1", AddressKind.LOOPBACK),
                Arguments.of("127.255.255.254", AddressKind.LOOPBACK),
                Arguments.of("::1", AddressKind.LOOPBACK),
                Arguments.of("10.0.0.1", AddressKind.PRIVATE),
                Arguments.of("10.255.255.255", AddressKind.PRIVATE),
                Arguments.of("172.16.0.1", AddressKind.PRIVATE),
                Arguments.of("172.31.255.255", AddressKind.PRIVATE),
                Arguments.of("192.168.1.10", AddressKind.PRIVATE),
                Arguments.of("fc00::1", AddressKind.PRIVATE),
                Arguments.of("fd12:3456:789a::1", AddressKind.PRIVATE),
                Arguments.of("fec0::1", AddressKind.PRIVATE),
                Arguments.of("169.254.169.254", AddressKind.LINK_LOCAL),
                Arguments.of("169.254.0.1", AddressKind.LINK_LOCAL),
                Arguments.of("fe80::1", AddressKind.LINK_LOCAL),
                Arguments.of("fd00:ec2::254", AddressKind.LINK_LOCAL),
                Arguments.of("fd00:ec2::23", AddressKind.LINK_LOCAL),
                Arguments.of("febf::1", AddressKind.LINK_LOCAL),
                Arguments.of("0.0.0.0", AddressKind.UNSPECIFIED),
                Arguments.of("0.1.2.3", AddressKind.UNSPECIFIED),
                Arguments.of("::", AddressKind.UNSPECIFIED),
                Arguments.of("224.0.0.1", AddressKind.MULTICAST),
                Arguments.of("239.255.255.250", AddressKind.MULTICAST),
                Arguments.of("ff02::1", AddressKind.MULTICAST),
                Arguments.of("255.255.255.255", AddressKind.BROADCAST),
                Arguments.of("100.64.0.1", AddressKind.SHARED),
                Arguments.of("100.127.255.255", AddressKind.SHARED),
                Arguments.of("192.0.2.1", AddressKind.RESERVED),
                Arguments.of("198.18.0.1", AddressKind.RESERVED),
                Arguments.of("240.0.0.1", AddressKind.RESERVED),
                Arguments.of("2001:db8::1", AddressKind.RESERVED),
                Arguments.of("2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressKind.RESERVED), // Teredo
                // IPv6 forms that carry an IPv4 address are judged by it.
                Arguments.of("::ffff:10.0.0.1", AddressKind.PRIVATE),
                Arguments.of("::ffff:127.0.0.1", AddressKind.LOOPBACK),
                Arguments.of("::ffff:169.254.169.254", AddressKind.LINK_LOCAL),
                Arguments.of("::10.0.0.1", AddressKind.PRIVATE),
                Arguments.of("64:ff9b::a00:1", AddressKind.PRIVATE),
                Arguments.of("64:ff9b::a9fe:a9fe", AddressKind.LINK_LOCAL),
                Arguments.of("64:ff9b::808:808", AddressKind.PUBLIC),
                Arguments.of("2002:a00:1::1", AddressKind.PRIVATE),
                Arguments.of("2002:7f00:1::1", AddressKind.LOOPBACK),
                Arguments.of("2002:808:808::1", AddressKind.PUBLIC),
                // Public neighbours of the ranges.
                Arguments.of("8.8.8.8", AddressKind.PUBLIC),
                Arguments.of("172.32.0.1", AddressKind.PUBLIC),
                Arguments.of("172.15.255.255", AddressKind.PUBLIC),
                Arguments.of("100.128.0.1", AddressKind.PUBLIC),
                Arguments.of("169.253.255.255", AddressKind.PUBLIC),
                Arguments.of("2606:4700:4700::1111", AddressKind.PUBLIC));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("addresses")
    void classifiesEveryRange(String literal, AddressKind kind) throws Exception {
        assertThat(AddressKind.of(InetAddress.getByName(literal))).isEqualTo(kind);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("addresses")
    void allowsOnlyPublicAddressesByDefault(String literal, AddressKind kind) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        if (kind == AddressKind.PUBLIC) {
            assertThatCode(() -> strict.checkAddress(literal, address)).doesNotThrowAnyException();
        } else {
            assertRefused(() -> strict.checkAddress(literal, address), kind.description());
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("addresses")
    void privateNetworksOpenLoopbackAndPrivateRangesOnly(String literal, AddressKind kind) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        if (kind == AddressKind.PUBLIC || kind == AddressKind.LOOPBACK || kind == AddressKind.PRIVATE) {
            assertThatCode(() -> open.checkAddress(literal, address)).doesNotThrowAnyException();
        } else {
            assertRefused(() -> open.checkAddress(literal, address), kind.description());
        }
    }

    @Test
    void ipv4MappedAddressesKeptAsIpv6AreJudgedAsTheirIpv4() throws Exception {
        // InetAddress.getByName turns ::ffff:a.b.c.d into an Inet4Address; a resolver may hand out the IPv6 form.
        InetAddress mapped =
                Inet6Address.getByAddress(null, HexFormat.of().parseHex("00000000000000000000ffff0a000001"), -1);
        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(AddressKind.of(mapped)).isEqualTo(AddressKind.PRIVATE);
        InetAddress metadata =
                Inet6Address.getByAddress(null, HexFormat.of().parseHex("00000000000000000000ffffa9fea9fe"), -1);
        assertRefused(() -> open.checkAddress("metadata", metadata), "link-local");
    }

    @Test
    void resolvesLiteralsAndNamesAndChecksEveryAddress() {
        assertRefused(() -> strict.resolve("127.0.0.1"), "loopback");
        assertRefused(() -> strict.resolve("[::1]"), "loopback");
        assertRefused(() -> strict.resolve("[::ffff:a00:1]"), "private");
        assertRefused(() -> strict.resolve("localhost"), "loopback");
        assertRefused(() -> strict.resolve("2130706433"), "loopback"); // 127.0.0.1 as one number
        assertRefused(() -> open.resolve("169.254.169.254"), "link-local");
        assertThat(open.resolve("127.0.0.1")).hasSize(1);
        // A name that does not resolve reads exactly like one that resolves to a refused address: no DNS oracle.
        String unknown = messageOf(() -> strict.resolve("no-such-host.invalid"));
        String internal = messageOf(() -> strict.resolve("localhost"));
        assertThat(unknown.replace("no-such-host.invalid", "HOST")).isEqualTo(internal.replace("localhost", "HOST"));
    }

    @Test
    void webcalMeansHttps() {
        assertThat(strict.checkUrl("webcal://example.com/cal.ics")).hasToString("https://example.com/cal.ics");
        assertThat(strict.checkUrl("WEBCALS://Example.COM:8443/a/b.ics?token=x%20y#frag"))
                .hasToString("https://example.com:8443/a/b.ics?token=x%20y");
        assertThat(strict.checkUrl("http://example.com")).hasToString("http://example.com/");
        assertThat(strict.checkUrl("  https://example.com/cal.ics ")).hasToString("https://example.com/cal.ics");
        assertThat(strict.checkUrl("https://bücher.example/cal.ics"))
                .hasToString("https://xn--bcher-kva.example/cal.ics");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://example.com/cal.ics",
                "file:///etc/passwd",
                "gopher://example.com/",
                "javascript:alert(1)",
                "data:text/calendar,BEGIN:VCALENDAR",
                "example.com/cal.ics",
                "https://user:secret@example.com/cal.ics",
                "https://user@example.com/cal.ics",
                "https:///cal.ics",
                "http://exa mple.com/",
                ""
            })
    void refusesOtherSchemesUserInfoAndUrlsWithoutHost(String url) {
        assertThatThrownBy(() -> strict.checkUrl(url))
                .isInstanceOfSatisfying(
                        FetchException.class, e -> assertThat(e.code()).isEqualTo(FetchException.Code.URL_NOT_ALLOWED));
    }

    @Test
    void anyPortIsAllowed() {
        assertThat(strict.checkUrl("https://example.com:5232/cal.ics").getPort())
                .isEqualTo(5232);
        assertThat(strict.checkUrl("http://example.com:22/cal.ics").getPort()).isEqualTo(22);
    }

    static String messageOf(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (FetchException e) {
            assertThat(e.code()).isEqualTo(FetchException.Code.URL_NOT_ALLOWED);
            return e.getMessage();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        throw new AssertionError("not refused");
    }

    /** Refused with the one answer that names no kind of address: {@code kind} must not show in it. */
    static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String kind) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        FetchException.class, e -> assertThat(e.code()).isEqualTo(FetchException.Code.URL_NOT_ALLOWED))
                .hasMessageContaining("does not resolve to a public internet address")
                .hasMessageNotContaining(kind);
    }
}
