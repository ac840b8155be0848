package dev.assetlib.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses a fetch of a user-given URL may connect to: public unicast only. Everything a
 * request could use to reach this service's own network (loopback, private ranges, link-local and
 * the instance metadata endpoints, unique-local IPv6, multicast, unspecified, broadcast, reserved)
 * is refused, including IPv4 addresses hidden inside IPv6 ones (mapped, compatible, NAT64, 6to4).
 */
public final class AddressPolicy {
    private AddressPolicy() {
    }

    /** Empty when the address is public, otherwise what kind of address it is (for the message). */
    public static Optional<String> refusal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return refusalV4(b);
        }
        if (address instanceof Inet6Address) {
            return refusalV6(b);
        }
        return Optional.of("an address of an unknown family");
    }

    private static Optional<String> refusalV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return Optional.of("an unspecified (0.0.0.0/8) address");
        }
        if (a0 == 127) {
            return Optional.of("a loopback address");
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Optional.of("a private address");
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Optional.of("a shared (carrier-grade NAT, 100.64.0.0/10) address");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("a link-local or metadata address");
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return Optional.of("an IETF protocol (192.0.0.0/24) address");
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return Optional.of("a benchmarking (198.18.0.0/15) address");
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of("a multicast address");
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && (b[3] & 0xff) == 255) {
            return Optional.of("the broadcast address");
        }
        if (a0 >= 240) {
            return Optional.of("a reserved (240.0.0.0/4) address");
        }
        return Optional.empty();
    }

    private static Optional<String> refusalV6(byte[] b) {
        boolean first80Zero = allZero(b, 0, 10);
        if (first80Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded(b, 12, "IPv4-mapped");
        }
        if (first80Zero && b[10] == 0 && b[11] == 0) {
            if (allZero(b, 12, 15) && (b[15] == 0 || b[15] == 1)) {
                return Optional.of(b[15] == 0 ? "the unspecified address" : "a loopback address");
            }
            return embedded(b, 12, "IPv4-compatible");
        }
        int h0 = b[0] & 0xff;
        int h1 = b[1] & 0xff;
        if (h0 == 0xff) {
            return Optional.of("a multicast address");
        }
        if (h0 == 0xfe && (h1 & 0xc0) == 0x80) {
            return Optional.of("a link-local address");
        }
        if (h0 == 0xfe && (h1 & 0xc0) == 0xc0) {
            return Optional.of("a site-local address");
        }
        if ((h0 & 0xfe) == 0xfc) {
            // fc00::/7, which holds the EC2 metadata endpoint fd00:ec2::254
            return Optional.of("a unique-local address");
        }
        if (h0 == 0x00 && h1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            return embedded(b, 12, "NAT64");
        }
        if (h0 == 0x20 && h1 == 0x02) {
            return embedded(b, 2, "6to4");
        }
        if (h0 == 0x20 && h1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return Optional.of("a documentation (2001:db8::/32) address");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(byte[] b, int offset, String how) {
        byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
        return refusalV4(v4).map(r -> "an " + how + " IPv6 form of " + r);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
