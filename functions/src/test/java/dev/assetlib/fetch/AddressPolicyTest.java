package dev.assetlib.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "10.0.0.5", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "100.64.0.1", "100.127.255.255", "169.254.169.254", "169.254.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1",
            "239.255.255.250", "255.255.255.255", "240.0.0.1", "::", "::1", "fe80::1", "fc00::1", "fd00:ec2::254",
            "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.1.2.3", "::127.0.0.1", "::10.0.0.1",
            "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "fec0::1", "2001:db8::1", "192.0.0.8", "198.18.0.1"})
    void refusesNonPublicAddresses(String literal) throws Exception {
        assertThat(AddressPolicy.refusal(InetAddress.getByName(literal))).as(literal).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
            "169.253.1.1", "192.169.0.1", "11.0.0.1", "223.255.255.255", "2606:4700:4700::1111", "2a00:1450:4001::200e",
            "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::"})
    void acceptsPublicAddresses(String literal) throws Exception {
        assertThat(AddressPolicy.refusal(InetAddress.getByName(literal))).as(literal).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void namesTheKindOfAddressAndTheHiddenV4() throws Exception {
        assertThat(AddressPolicy.refusal(InetAddress.getByName("169.254.169.254"))).contains("a link-local or metadata address");
        assertThat(AddressPolicy.refusal(InetAddress.getByName("::10.0.0.1")))
                .contains("an IPv4-compatible IPv6 form of a private address");
        assertThat(AddressPolicy.refusal(InetAddress.getByName("fd00:ec2::254"))).contains("a unique-local address");
    }
}
