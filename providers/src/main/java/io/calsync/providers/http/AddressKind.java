package io.calsync.providers.http;

import java.net.InetAddress;

/**
 * What kind of network an address belongs to, as far as fetching a user's URL is concerned. IPv6 addresses that
 * carry an IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64
 * {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by that IPv4 address, so {@code ::ffff:10.0.0.1} is as
 * private as {@code 10.0.0.1}.
 */
enum AddressKind {
    PUBLIC("a public address"),
    /** 127.0.0.0/8, ::1. */
    LOOPBACK("a loopback address"),
    /** 10/8, 172.16/12, 192.168/16, fc00::/7 (unique local), fec0::/10 (deprecated site local). */
    PRIVATE("a private network address"),
    /** 169.254/16, fe80::/10: cloud metadata services live here (169.254.169.254), so never allowed. */
    LINK_LOCAL("a link-local address (such as a cloud metadata service)"),
    /** 100.64/10, carrier-grade NAT: the provider's network, not the internet. */
    SHARED("a carrier-grade NAT address"),
    /** 0.0.0.0/8, ::. Connecting to 0.0.0.0 reaches the local host on Linux. */
    UNSPECIFIED("an unspecified address"),
    /** 224/4, ff00::/8. */
    MULTICAST("a multicast address"),
    /** 255.255.255.255. */
    BROADCAST("a broadcast address"),
    /** Documentation, benchmarking, reserved and special-purpose ranges (RFC 6890) that no public feed uses. */
    RESERVED("a reserved address");

    private final String description;

    AddressKind(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    static AddressKind of(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? ofV4(b, 0) : ofV6(b);
    }

    private static AddressKind ofV4(byte[] b, int at) {
        int a0 = b[at] & 0xFF;
        int a1 = b[at + 1] & 0xFF;
        int a2 = b[at + 2] & 0xFF;
        int a3 = b[at + 3] & 0xFF;
        if (a0 == 0) {
            return UNSPECIFIED;
        }
        if (a0 == 127) {
            return LOOPBACK;
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xF0) == 16) || (a0 == 192 && a1 == 168)) {
            return PRIVATE;
        }
        if (a0 == 169 && a1 == 254) {
            return LINK_LOCAL;
        }
        if (a0 == 100 && (a1 & 0xC0) == 64) {
            return SHARED;
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return BROADCAST;
        }
        if (a0 >= 224 && a0 <= 239) {
            return MULTICAST;
        }
        if (a0 >= 240 // 240/4, reserved for future use
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // IETF protocol assignments, TEST-NET-1
                || (a0 == 198 && (a1 & 0xFE) == 18) // benchmarking 198.18/15
                || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
                || (a0 == 203 && a1 == 0 && a2 == 113)) { // TEST-NET-3
            return RESERVED;
        }
        return PUBLIC;
    }

    private static AddressKind ofV6(byte[] b) {
        if (zero(b, 0, 10)) {
            boolean mapped = (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
            if (mapped) {
                return ofV4(b, 12);
            }
            if (zero(b, 10, 2)) {
                if (zero(b, 12, 3) && (b[15] == 0 || b[15] == 1)) {
                    return b[15] == 0 ? UNSPECIFIED : LOOPBACK;
                }
                return ofV4(b, 12); // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks)
            }
        }
        int w0 = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int w1 = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            // 64:ff9b::/96 is NAT64 of the IPv4 address in the last 32 bits; 64:ff9b:1::/48 is for local use.
            return zero(b, 4, 8) ? ofV4(b, 12) : RESERVED;
        }
        if (w0 == 0x2002) {
            return ofV4(b, 2); // 6to4: the IPv4 address follows the prefix
        }
        if ((w0 == 0x2001 && w1 == 0x0000) || (w0 == 0x2001 && w1 == 0x0db8) || (w0 == 0x0100 && zero(b, 2, 6))) {
            return RESERVED; // Teredo (the client address is obfuscated), documentation, discard-only
        }
        if (w0 == 0xfd00 && w1 == 0x0ec2) {
            return LINK_LOCAL; // fd00:ec2::/32: AWS's IPv6 instance metadata (fd00:ec2::254), DNS and NTP
        }
        if ((b[0] & 0xFE) == 0xFC) {
            return PRIVATE; // fc00::/7
        }
        if ((b[0] & 0xFF) == 0xFE && (b[1] & 0xC0) == 0x80) {
            return LINK_LOCAL; // fe80::/10
        }
        if ((b[0] & 0xFF) == 0xFE && (b[1] & 0xC0) == 0xC0) {
            return PRIVATE; // fec0::/10, deprecated site-local
        }
        if ((b[0] & 0xFF) == 0xFF) {
            return MULTICAST;
        }
        return PUBLIC;
    }

    private static boolean zero(byte[] b, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
